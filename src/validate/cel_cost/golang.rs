//! Go standard-library semantics that cel-go's conversions inherit:
//! `strconv.ParseInt/ParseUint/ParseFloat/ParseBool`, `fmt`'s `%g`,
//! `time.ParseDuration` and `time.Parse(time.RFC3339, ..)`.

/// `strconv.ParseInt(s, 10, 64)`: optional sign, ASCII digits only.
pub(super) fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Rust accepts the same sign-and-digits syntax here.
    s.parse().ok()
}

/// `strconv.ParseUint(s, 10, 64)`: ASCII digits only, no sign.
pub(super) fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `strconv.ParseBool`.
pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `strconv.ParseFloat(s, 64)`; an out-of-range value is an error.
pub(super) fn parse_float(s: &str) -> Option<f64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or("")),
        Some(b'+') => (false, s.get(1..).unwrap_or("")),
        _ => (false, s),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if lower == "nan" {
        // Go takes no sign before "nan".
        return (body.len() == s.len()).then_some(f64::NAN);
    }
    let value = if lower.starts_with("0x") {
        parse_hex_float(lower.get(2..).unwrap_or(""))?
    } else {
        // Decimal: digits, one '.', an exponent. Go's readFloat skips
        // underscores in any base and then requires each to sit between
        // digits (`underscoreOK`), so `1_0` is 10. Rust's grammar is the same
        // once specials and underscores are out.
        if body.is_empty()
            || !body
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
            || (body.contains('_') && !underscores_between_digits(body))
        {
            return None;
        }
        body.replace('_', "").parse::<f64>().ok()?
    };
    value.is_finite().then_some(sign * value)
}

/// Go's `underscoreOK` for a decimal number without its sign: every `_`
/// follows a digit and is followed by one.
fn underscores_between_digits(s: &str) -> bool {
    let mut previous = b'^';
    for b in s.bytes() {
        let class = if b.is_ascii_digit() {
            b'0'
        } else if b == b'_' {
            if previous != b'0' {
                return false;
            }
            b'_'
        } else if previous == b'_' {
            return false;
        } else {
            b'!'
        };
        previous = class;
    }
    previous != b'_'
}

/// A hexadecimal float mantissa and mandatory `p` exponent (after `0x`);
/// underscores may separate digits.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exponent) = s.split_once('p')?;
    let mantissa = mantissa.trim_start_matches('_');
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let clean = |t: &str| -> Option<String> {
        if t.starts_with('_') && !t.is_empty() && t != mantissa {
            return None;
        }
        if t.contains("__") || t.ends_with('_') {
            return None;
        }
        Some(t.replace('_', ""))
    };
    let int_digits = clean(int_part)?;
    let frac_digits = clean(frac_part)?;
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    if !int_digits
        .bytes()
        .chain(frac_digits.bytes())
        .all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    let exp_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    let exp: i64 = exponent.replace('_', "").parse().ok()?;
    let mut value = 0f64;
    for d in int_digits.bytes().chain(frac_digits.bytes()) {
        value = value * 16.0 + f64::from(char::from(d).to_digit(16)?);
    }
    let frac_len = i64::try_from(frac_digits.len()).ok()?;
    let total_exp = exp.saturating_sub(frac_len.saturating_mul(4));
    let clamped = i32::try_from(total_exp.clamp(-2000, 2000)).ok()?;
    Some(value * 2f64.powi(clamped))
}

/// Go's `fmt.Sprintf("%g", f)` (cel-go's `string(double)`): the shortest
/// representation, in exponent form when the decimal exponent is below -4 or
/// at least 6 (Go uses precision 6 for that decision in the shortest form).
pub(super) fn format_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` prints the shortest round-tripping digits, like Go.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{exp_sign}{:02}", exp.unsigned_abs());
    }
    let n = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let out = if exp < 0 {
        let zeros = "0".repeat(usize::try_from(-exp - 1).unwrap_or(0));
        format!("0.{zeros}{digits}")
    } else if exp + 1 >= n {
        let zeros = "0".repeat(usize::try_from(exp + 1 - n).unwrap_or(0));
        format!("{digits}{zeros}")
    } else {
        let split = usize::try_from(exp + 1).unwrap_or(0);
        let (int_part, frac_part) = digits.split_at(split.min(digits.len()));
        format!("{int_part}.{frac_part}")
    };
    format!("{sign}{out}")
}

/// `time.ParseDuration`, in nanoseconds.
pub(super) fn parse_duration(s: &str) -> Option<i64> {
    const LIMIT: u64 = 1 << 63;
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let first = rest.as_bytes().first().copied()?;
        if !(first == b'.' || first.is_ascii_digit()) {
            return None;
        }
        // Integer part.
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut value: u64 = 0;
        for b in rest.get(..int_len)?.bytes() {
            if value > LIMIT / 10 {
                return None;
            }
            value = value * 10 + u64::from(b - b'0');
            if value > LIMIT {
                return None;
            }
        }
        rest = rest.get(int_len..)?;
        // Fraction: digits beyond what fits are ignored, as in Go.
        let mut fraction: u64 = 0;
        let mut scale = 1f64;
        let mut has_fraction = false;
        if let Some(after) = rest.strip_prefix('.') {
            let frac_len = after.bytes().take_while(u8::is_ascii_digit).count();
            has_fraction = frac_len > 0;
            let mut overflow = false;
            for b in after.get(..frac_len)?.bytes() {
                if overflow {
                    continue;
                }
                if fraction > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let next = fraction * 10 + u64::from(b - b'0');
                if next > LIMIT {
                    overflow = true;
                    continue;
                }
                fraction = next;
                scale *= 10.0;
            }
            rest = after.get(frac_len..)?;
        }
        if int_len == 0 && !has_fraction {
            return None;
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        if unit_len == 0 {
            return None;
        }
        let unit: u64 = match rest.get(..unit_len)? {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        rest = rest.get(unit_len..)?;
        if value > LIMIT / unit {
            return None;
        }
        value *= unit;
        if fraction > 0 {
            // Truncation toward zero, as Go's uint64(float64) conversion.
            value = value.checked_add((fraction as f64 * (unit as f64 / scale)) as u64)?;
            if value > LIMIT {
                return None;
            }
        }
        total = total.checked_add(value)?;
        if total > LIMIT {
            return None;
        }
    }
    if negative {
        return Some(if total == LIMIT {
            i64::MIN
        } else {
            -i64::try_from(total).ok()?
        });
    }
    i64::try_from(total).ok()
}

/// `time.Parse(time.RFC3339, s)` as Unix seconds and nanoseconds.
pub(super) fn parse_rfc3339(s: &str) -> Option<(i64, i32)> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let num = |from: usize, len: usize| -> Option<i64> { s.get(from..from + len)?.parse().ok() };
    let mut i = 0;
    // 2006: four digits.
    if !(0..4).all(&digit) {
        return None;
    }
    let year = num(0, 4)?;
    i += 4;
    let expect = |i: &mut usize, c: u8| -> Option<()> { (b.get(*i) == Some(&c)).then(|| *i += 1) };
    // Fixed two-digit fields, and Go's one-or-two-digit hour.
    let fixed2 = |i: &mut usize| -> Option<i64> {
        if digit(*i) && digit(*i + 1) {
            *i += 2;
            num(*i - 2, 2)
        } else {
            None
        }
    };
    expect(&mut i, b'-')?;
    let month = fixed2(&mut i)?;
    expect(&mut i, b'-')?;
    let day = fixed2(&mut i)?;
    expect(&mut i, b'T')?;
    let hour = if digit(i) && digit(i + 1) {
        i += 2;
        num(i - 2, 2)?
    } else if digit(i) {
        i += 1;
        num(i - 1, 1)?
    } else {
        return None;
    };
    expect(&mut i, b':')?;
    let minute = fixed2(&mut i)?;
    expect(&mut i, b':')?;
    let second = fixed2(&mut i)?;
    let mut nanos: i64 = 0;
    if matches!(b.get(i), Some(b'.' | b',')) && digit(i + 1) {
        let mut n = i + 1;
        while digit(n) {
            n += 1;
        }
        let frac = s.get(i + 1..n)?;
        let kept: String = frac.chars().take(9).collect();
        let padded = format!("{kept:0<9}");
        nanos = padded.parse().ok()?;
        i = n;
    }
    let offset: i64 = match b.get(i) {
        Some(b'Z') => {
            i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            if b.get(i + 3) != Some(&b':') || !(digit(i + 1) && digit(i + 2)) {
                return None;
            }
            if !(digit(i + 4) && digit(i + 5)) {
                return None;
            }
            let hh = num(i + 1, 2)?;
            let mm = num(i + 4, 2)?;
            if hh > 24 || mm > 60 {
                return None;
            }
            i += 6;
            let magnitude = hh * 3600 + mm * 60;
            if *sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => return None,
    };
    if i != b.len() {
        return None;
    }
    if !(1..=12).contains(&month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > days_in_month {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some((seconds, i32::try_from(nanos).ok()?))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_g_matches_go() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (100.0, "100"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (1e6, "1e+06"),
            (1e21, "1e+21"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-1.25, "-1.25"),
            (-0.0, "-0"),
            (1.0 / 3.0, "0.3333333333333333"),
            (f64::INFINITY, "+Inf"),
        ];
        for (value, want) in cases {
            assert_eq!(format_g(value), want, "{value}");
        }
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("+5s"), Some(5_000_000_000));
        assert_eq!(parse_duration("1\u{3bc}s"), Some(1_000));
        assert_eq!(parse_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(parse_duration("9223372036854775807ns"), Some(i64::MAX));
        assert_eq!(parse_duration("9223372036854775808ns"), None);
        assert_eq!(parse_duration("-9223372036854775808ns"), Some(i64::MIN));
        assert_eq!(parse_duration("1d"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("1"), None);
        assert_eq!(parse_duration(".s"), None);
    }

    #[test]
    fn timestamps_parse_like_go() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(
            parse_rfc3339("1970-01-01T0:00:00.5Z"),
            Some((0, 500_000_000))
        );
        assert_eq!(parse_rfc3339("2024-02-30T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00z"), None);
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00+0100"), None);
        assert_eq!(parse_rfc3339("2024-1-01T00:00:00Z"), None);
    }

    #[test]
    fn numbers_parse_like_go() {
        assert_eq!(parse_int("+5"), Some(5));
        assert_eq!(parse_int(" 5"), None);
        assert_eq!(parse_uint("+5"), None);
        assert_eq!(parse_bool("T"), Some(true));
        assert_eq!(parse_bool("tRuE"), None);
        // Go's readFloat takes underscores between digits in any base.
        assert_eq!(parse_float("1_0"), Some(10.0));
        assert_eq!(parse_float("1_0.5"), Some(10.5));
        assert_eq!(parse_float("1e0_1"), Some(10.0));
        assert_eq!(parse_float("-1_0"), Some(-10.0));
        assert_eq!(parse_float("_10"), None);
        assert_eq!(parse_float("10_"), None);
        assert_eq!(parse_float("1__0"), None);
        assert_eq!(parse_float("1_.5"), None);
        assert_eq!(parse_float("1._5"), None);
        assert_eq!(parse_float("+_1"), None);
        assert_eq!(parse_float("0x1p4"), Some(16.0));
        assert_eq!(parse_float("0x10"), None);
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_float("-nan"), None);
    }
}

//! Go `regexp` (RE2 syntax, Perl flags) on top of the Rust `regex` crate.
//!
//! cel-go's `matches` compiles its pattern with Go's `regexp.Compile`. The
//! Rust crate's syntax differs: its `\d`, `\w`, `\s` and `\b` are Unicode
//! (Go's are ASCII), it has class set operations (`&&`, `--`, `~~`) and
//! nested classes where Go reads literal characters, it knows `\<`, `\>` and
//! `\e`, and it lacks Go's octal escapes, `\Q..\E` and `\p{^Greek}`. This
//! module parses the pattern with Go's rules and writes an equivalent
//! pattern for the Rust crate, or returns the error Go reports.

use std::fmt::Write as _;

/// Go's maximum repeat count.
const MAX_REPEAT: u32 = 1000;

const PERL_CLASSES: [(char, &str); 3] =
    [('d', "0-9"), ('s', "\\t\\n\\x0C\\r "), ('w', "0-9A-Za-z_")];
const POSIX_CLASSES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// Translates a Go regular expression into the Rust crate's syntax.
pub(super) fn translate(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut i = 0;
    // Whether the previous item can take a repetition operator, and whether
    // it already is a repetition (Go rejects `a**`).
    let mut can_repeat = false;
    let mut after_repeat = false;
    let at = |k: usize| chars.get(k).copied();
    while let Some(c) = at(i) {
        match c {
            '\\' => {
                let next = at(i + 1).ok_or("trailing backslash at end of expression")?;
                match next {
                    'Q' => {
                        let mut j = i + 2;
                        while j < chars.len() && !(at(j) == Some('\\') && at(j + 1) == Some('E')) {
                            push_literal(&mut out, chars.get(j).copied().unwrap_or(' '));
                            j += 1;
                        }
                        i = if j < chars.len() { j + 2 } else { j };
                        can_repeat = true;
                        after_repeat = false;
                        continue;
                    }
                    'A' | 'z' => {
                        out.push('\\');
                        out.push(next);
                        i += 2;
                        can_repeat = true;
                    }
                    'b' | 'B' => {
                        let _ = write!(out, "(?-u:\\{next})");
                        i += 2;
                        can_repeat = true;
                    }
                    'd' | 's' | 'w' | 'D' | 'S' | 'W' => {
                        out.push_str(&perl_class(next, false));
                        i += 2;
                        can_repeat = true;
                    }
                    'p' | 'P' => {
                        i = unicode_class(&chars, i, &mut out)?;
                        can_repeat = true;
                    }
                    _ => {
                        let (value, end) = escape(&chars, i)?;
                        push_literal(&mut out, value);
                        i = end;
                        can_repeat = true;
                    }
                }
                after_repeat = false;
            }
            '[' => {
                i = class(&chars, i, &mut out)?;
                can_repeat = true;
                after_repeat = false;
            }
            '(' => {
                if at(i + 1) == Some('?') {
                    let (text, end) = group_prefix(&chars, i)?;
                    out.push_str(&text);
                    i = end;
                    // A bare flag group `(?i)` is not an operand.
                    can_repeat = false;
                    after_repeat = false;
                    continue;
                }
                out.push('(');
                i += 1;
                can_repeat = false;
                after_repeat = false;
            }
            ')' => {
                out.push(')');
                i += 1;
                can_repeat = true;
                after_repeat = false;
            }
            '|' => {
                out.push('|');
                i += 1;
                can_repeat = false;
                after_repeat = false;
            }
            '*' | '+' | '?' => {
                if after_repeat {
                    return Err(format!("invalid nested repetition operator: `{c}`"));
                }
                if !can_repeat {
                    return Err(format!("missing argument to repetition operator: `{c}`"));
                }
                out.push(c);
                i += 1;
                if at(i) == Some('?') {
                    out.push('?');
                    i += 1;
                }
                after_repeat = true;
            }
            '{' => match repeat_spec(&chars, i) {
                Some((min, max, end)) => {
                    if after_repeat {
                        return Err("invalid nested repetition operator".into());
                    }
                    if !can_repeat {
                        return Err("missing argument to repetition operator".into());
                    }
                    if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
                        return Err("invalid repeat count".into());
                    }
                    match max {
                        Some(m) if m == min => {
                            let _ = write!(out, "{{{min}}}");
                        }
                        Some(m) => {
                            let _ = write!(out, "{{{min},{m}}}");
                        }
                        None => {
                            let _ = write!(out, "{{{min},}}");
                        }
                    }
                    i = end;
                    if at(i) == Some('?') {
                        out.push('?');
                        i += 1;
                    }
                    after_repeat = true;
                }
                None => {
                    // Not a repetition: a literal brace in Go.
                    push_literal(&mut out, '{');
                    i += 1;
                    can_repeat = true;
                    after_repeat = false;
                }
            },
            '.' | '^' | '$' => {
                out.push(c);
                i += 1;
                can_repeat = true;
                after_repeat = false;
            }
            _ => {
                push_literal(&mut out, c);
                i += 1;
                can_repeat = true;
                after_repeat = false;
            }
        }
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    }
}

/// `\d` etc. as ASCII classes; `inside` gives the form for use in a class.
fn perl_class(c: char, inside: bool) -> String {
    let lower = c.to_ascii_lowercase();
    let set = PERL_CLASSES
        .iter()
        .find(|(k, _)| *k == lower)
        .map_or("", |(_, s)| s);
    let negated = c.is_ascii_uppercase();
    match (negated, inside) {
        (false, true) => set.to_string(),
        (false, false) => format!("[{set}]"),
        (true, _) => format!("[^{set}]"),
    }
}

/// The class names Go's regexp takes in `\p{..}` (`unicodeTable` up to Go
/// 1.24, the toolchain of the v0.1 controller): `Any`, the general
/// categories of `unicode.Categories` and the scripts of `unicode.Scripts`
/// (Unicode 15.0), matched case-sensitively. Rust's crate also takes long
/// names and aliases (`\p{Letter}`, `\p{greek}`), which Go rejects.
#[rustfmt::skip]
const GO_CATEGORIES: [&str; 36] = [
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
    "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk",
    "Sm", "So", "Z", "Zl", "Zp", "Zs",
];
#[rustfmt::skip]
const GO_SCRIPTS: [&str; 163] = [
    "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese",
    "Bamum", "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille",
    "Buginese", "Buhid", "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma",
    "Cham", "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform", "Cypriot",
    "Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan",
    "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian", "Glagolitic",
    "Gothic", "Grantha", "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul",
    "Hanifi_Rohingya", "Hanunoo", "Hatran", "Hebrew", "Hiragana", "Imperial_Aramaic",
    "Inherited", "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi",
    "Kannada", "Katakana", "Kawi", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer",
    "Khojki", "Khudawadi", "Lao", "Latin", "Lepcha", "Limbu", "Linear_A", "Linear_B",
    "Lisu", "Lycian", "Lydian", "Mahajani", "Makasar", "Malayalam", "Mandaic", "Manichaean",
    "Marchen", "Masaram_Gondi", "Medefaidrin", "Meetei_Mayek", "Mende_Kikakui",
    "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro",
    "Multani", "Myanmar", "Nabataean", "Nag_Mundari", "Nandinagari", "New_Tai_Lue", "Newa",
    "Nko", "Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian",
    "Old_Italic", "Old_North_Arabian", "Old_Permic", "Old_Persian", "Old_Sogdian",
    "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Oriya", "Osage", "Osmanya",
    "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi",
    "Rejang", "Runic", "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham",
    "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng", "Soyombo", "Sundanese",
    "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet",
    "Takri", "Tamil", "Tangsa", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh",
    "Tirhuta", "Toto", "Ugaritic", "Vai", "Vithkuqi", "Wancho", "Warang_Citi", "Yezidi",
    "Yi", "Zanabazar_Square",
];

/// `\pL`, `\p{Greek}`, `\P{^L}`; returns the index after it.
fn unicode_class(chars: &[char], i: usize, out: &mut String) -> Result<usize, String> {
    let at = |k: usize| chars.get(k).copied();
    let mut negated = at(i + 1) == Some('P');
    let (mut name, end) = match at(i + 2) {
        Some('{') => {
            let close = (i + 3..chars.len())
                .find(|k| at(*k) == Some('}'))
                .ok_or("invalid character class range")?;
            (
                chars
                    .get(i + 3..close)
                    .unwrap_or(&[])
                    .iter()
                    .collect::<String>(),
                close + 1,
            )
        }
        Some(c) => (c.to_string(), i + 3),
        None => return Err("invalid character class range".into()),
    };
    if let Some(rest) = name.strip_prefix('^') {
        negated = !negated;
        name = rest.to_string();
    }
    let known = name == "Any"
        || GO_CATEGORIES.contains(&name.as_str())
        || GO_SCRIPTS.contains(&name.as_str());
    if !known {
        return Err(format!("invalid character class range: \\p{{{name}}}"));
    }
    let _ = write!(out, "\\{}{{{name}}}", if negated { 'P' } else { 'p' });
    Ok(end)
}

/// A single-character escape (Go's `parseEscape`): returns the character and
/// the index after the escape.
fn escape(chars: &[char], i: usize) -> Result<(char, usize), String> {
    let at = |k: usize| chars.get(k).copied();
    let c = at(i + 1).ok_or("trailing backslash at end of expression")?;
    let octal = |k: usize| at(k).is_some_and(|d| ('0'..='7').contains(&d));
    match c {
        '1'..='7' if !octal(i + 2) => Err(format!("invalid escape sequence: \\{c}")),
        '0'..='7' => {
            let mut value = c.to_digit(8).unwrap_or(0);
            let mut end = i + 2;
            while end < i + 4 && octal(end) {
                value = value * 8 + at(end).and_then(|d| d.to_digit(8)).unwrap_or(0);
                end += 1;
            }
            Ok((char::from_u32(value).unwrap_or('\0'), end))
        }
        'x' => {
            if at(i + 2) == Some('{') {
                let close = (i + 3..chars.len())
                    .find(|k| at(*k) == Some('}'))
                    .ok_or("invalid escape sequence: \\x")?;
                let hex: String = chars.get(i + 3..close).unwrap_or(&[]).iter().collect();
                let value = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| !hex.is_empty())
                    .and_then(char::from_u32)
                    .filter(|v| (*v as u32) <= 0x10FFFF)
                    .ok_or("invalid escape sequence: \\x")?;
                Ok((value, close + 1))
            } else {
                let hex: String = chars.get(i + 2..i + 4).unwrap_or(&[]).iter().collect();
                let value = (hex.len() == 2)
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32)
                    .ok_or("invalid escape sequence: \\x")?;
                Ok((value, i + 4))
            }
        }
        'a' => Ok(('\u{7}', i + 2)),
        'f' => Ok(('\u{c}', i + 2)),
        'n' => Ok(('\n', i + 2)),
        'r' => Ok(('\r', i + 2)),
        't' => Ok(('\t', i + 2)),
        'v' => Ok(('\u{b}', i + 2)),
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((c, i + 2)),
        _ => Err(format!("invalid escape sequence: \\{c}")),
    }
}

/// `(?flags)`, `(?flags:`, `(?P<name>`, `(?<name>`; returns the Rust text.
fn group_prefix(chars: &[char], i: usize) -> Result<(String, usize), String> {
    let at = |k: usize| chars.get(k).copied();
    let named_from = match (at(i + 2), at(i + 3)) {
        (Some('P'), Some('<')) => Some(i + 4),
        (Some('<'), _) => Some(i + 3),
        _ => None,
    };
    if let Some(start) = named_from {
        let close = (start..chars.len())
            .find(|k| at(*k) == Some('>'))
            .ok_or("invalid named capture")?;
        let name: String = chars.get(start..close).unwrap_or(&[]).iter().collect();
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!("invalid named capture: {name}"));
        }
        return Ok((format!("(?P<{name}>"), close + 1));
    }
    let mut j = i + 2;
    let mut flags = String::new();
    let mut negated = false;
    let mut saw_flag = false;
    loop {
        match at(j) {
            Some(f @ ('i' | 'm' | 's' | 'U')) => {
                flags.push(f);
                saw_flag = true;
                j += 1;
            }
            Some('-') if !negated => {
                flags.push('-');
                negated = true;
                saw_flag = false;
                j += 1;
            }
            Some(end @ (')' | ':')) => {
                // Go rejects `(?)`, `(?-)` and a dangling `-`.
                if flags.is_empty() && end == ')' || negated && !saw_flag {
                    return Err("missing argument to repetition operator".into());
                }
                let text = format!("(?{flags}{end}");
                return Ok((text, j + 1));
            }
            _ => {
                let op: String = chars
                    .get(i..(j + 1).min(chars.len()))
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                return Err(format!("invalid or unsupported Perl syntax: `{op}`"));
            }
        }
    }
}

/// `{n}`, `{n,}`, `{n,m}` at `i`: (min, max, index after), or `None` when
/// Go reads the brace literally.
fn repeat_spec(chars: &[char], i: usize) -> Option<(u32, Option<u32>, usize)> {
    let at = |k: usize| chars.get(k).copied();
    let number = |mut k: usize| -> Option<(u32, usize)> {
        let start = k;
        while at(k).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
        }
        if k == start {
            return None;
        }
        let text: String = chars.get(start..k)?.iter().collect();
        // Huge counts are "invalid repeat count" errors, not literals.
        Some((text.parse().unwrap_or(u32::MAX), k))
    };
    let (min, k) = number(i + 1)?;
    match at(k) {
        Some('}') => Some((min, Some(min), k + 1)),
        Some(',') => {
            if at(k + 1) == Some('}') {
                return Some((min, None, k + 2));
            }
            let (max, k2) = number(k + 1)?;
            (at(k2) == Some('}')).then_some((min, Some(max), k2 + 1))
        }
        _ => None,
    }
}

/// A bracket class at `i`, written as a Rust class with escaped members.
fn class(chars: &[char], i: usize, out: &mut String) -> Result<usize, String> {
    let at = |k: usize| chars.get(k).copied();
    let mut j = i + 1;
    let mut body = String::from("[");
    if at(j) == Some('^') {
        body.push('^');
        j += 1;
    }
    let mut first = true;
    loop {
        let c = at(j).ok_or("missing closing ]")?;
        if c == ']' && !first {
            j += 1;
            break;
        }
        first = false;
        // POSIX class `[:name:]`.
        if c == '[' && at(j + 1) == Some(':') {
            let close = (j + 2..chars.len().saturating_sub(1))
                .find(|k| at(*k) == Some(':') && at(k + 1) == Some(']'));
            if let Some(close) = close {
                let name: String = chars.get(j + 2..close).unwrap_or(&[]).iter().collect();
                let bare = name.strip_prefix('^').unwrap_or(&name);
                if !POSIX_CLASSES.contains(&bare) {
                    return Err(format!("invalid character class range: [:{name}:]"));
                }
                let _ = write!(body, "[:{name}:]");
                j = close + 2;
                continue;
            }
        }
        if c == '\\' {
            match at(j + 1) {
                Some(p @ ('d' | 's' | 'w' | 'D' | 'S' | 'W')) => {
                    body.push_str(&perl_class(p, true));
                    j += 2;
                    continue;
                }
                Some('p' | 'P') => {
                    j = unicode_class(chars, j, &mut body)?;
                    continue;
                }
                _ => {}
            }
        }
        let (lo, after_lo) = class_char(chars, j)?;
        j = after_lo;
        if at(j) == Some('-') && at(j + 1).is_some_and(|n| n != ']') {
            let (hi, after_hi) = class_char(chars, j + 1)?;
            if hi < lo {
                return Err(format!("invalid character class range: {lo}-{hi}"));
            }
            let _ = write!(body, "\\x{{{:X}}}-\\x{{{:X}}}", lo as u32, hi as u32);
            j = after_hi;
        } else {
            let _ = write!(body, "\\x{{{:X}}}", lo as u32);
        }
    }
    body.push(']');
    out.push_str(&body);
    Ok(j)
}

/// One character of a class (literal or escape); `\b` etc. are errors.
fn class_char(chars: &[char], j: usize) -> Result<(char, usize), String> {
    match chars.get(j).copied() {
        Some('\\') => match chars.get(j + 1).copied() {
            Some(c @ ('d' | 's' | 'w' | 'D' | 'S' | 'W' | 'p' | 'P')) => {
                Err(format!("invalid character class range: \\{c}"))
            }
            _ => escape(chars, j),
        },
        Some(c) => Ok((c, j + 1)),
        None => Err("missing closing ]".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> Result<bool, String> {
        let translated = translate(pattern)?;
        regex::Regex::new(&translated)
            .map(|re| re.is_match(text))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn classes_are_ascii_like_go() {
        assert_eq!(matches(r"^\d$", "\u{663}"), Ok(false));
        assert_eq!(matches(r"^\w$", "é"), Ok(false));
        assert_eq!(matches(r"^\pL$", "é"), Ok(true));
        assert_eq!(matches(r"[\d-z]", "-"), Ok(true));
        assert_eq!(matches(r"[a&&b]", "&"), Ok(true));
    }

    #[test]
    fn go_syntax_errors_and_extensions() {
        assert!(matches(r"a{1001}", "").is_err());
        assert!(matches(r"(?x)a", "").is_err());
        assert!(matches(r"a**", "").is_err());
        assert!(matches(r"\1", "").is_err());
        assert!(matches(r"[a--b]", "").is_err());
        assert_eq!(matches(r"\<", "<"), Ok(true));
        assert_eq!(matches(r"\101", "A"), Ok(true));
        assert_eq!(matches(r"\Qa.b\E", "a.b"), Ok(true));
        assert_eq!(matches(r"\Qa.b\E", "axb"), Ok(false));
        assert_eq!(matches(r"a{,3}", "a{,3}"), Ok(true));
        assert_eq!(matches(r"\P{^L}", "a"), Ok(true));
    }

    #[test]
    fn unicode_class_names_are_go_1_24_s() {
        assert_eq!(matches(r"^\p{Greek}$", "α"), Ok(true));
        assert_eq!(matches(r"^\p{Lu}$", "A"), Ok(true));
        assert_eq!(matches(r"^\p{Any}$", "α"), Ok(true));
        assert_eq!(matches(r"^\p{Old_Italic}$", "a"), Ok(false));
        assert_eq!(matches(r"^\pN$", "٣"), Ok(true));
        // Long names, aliases, other cases and newer names are errors in Go.
        for pattern in [
            r"\p{Letter}",
            r"\p{greek}",
            r"\p{Alphabetic}",
            r"\p{L&}",
            r"\p{LC}",
            r"\p{Cn}",
            r"\p{Garay}",
            r"\pX",
            r"\p{}",
            r"[\p{Letter}]",
            r"\P{^Letter}",
        ] {
            assert!(matches(pattern, "").is_err(), "{pattern}");
        }
    }
}

//! Hand-written matchers for the patterns every object is checked against
//! (names, durations, header names). They answer exactly as the regex
//! would (a test compares them on generated strings); they exist because
//! building the regex cost more than a whole one-object run.

use crate::model::common::{
    GATEWAY_DURATION_PATTERN as DURATION, GROUP_PATTERN as GROUP,
    HEADER_NAME_PATTERN as HEADER_NAME, KIND_PATTERN as KIND, NAMESPACE_PATTERN as DNS1123_LABEL,
    SECTION_NAME_PATTERN as DNS1123_SUBDOMAIN,
};

/// The matcher for `pattern`, if it is one of the six patterns above.
pub fn matcher(pattern: &str) -> Option<fn(&str) -> bool> {
    Some(match pattern {
        DNS1123_LABEL => is_label,
        DNS1123_SUBDOMAIN => is_subdomain,
        GROUP => |s| s.is_empty() || is_subdomain(s),
        KIND => is_kind,
        DURATION => is_duration,
        HEADER_NAME => |s| !s.is_empty() && s.bytes().all(is_token_byte),
        _ => return None,
    })
}

fn lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, without a length limit.
pub fn is_label(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => {
            lower_alnum(first)
                && lower_alnum(last)
                && bytes.iter().all(|&b| lower_alnum(b) || b == b'-')
        }
        _ => false,
    }
}

/// Labels joined by dots, without a length limit.
pub fn is_subdomain(s: &str) -> bool {
    s.split('.').all(is_label)
}

fn is_kind(s: &str) -> bool {
    let bytes = s.as_bytes();
    let alnum = |b: u8| b.is_ascii_alphanumeric();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => {
            first.is_ascii_alphabetic()
                && alnum(last)
                && bytes.iter().all(|&b| alnum(b) || b == b'-')
        }
        _ => false,
    }
}

fn is_duration(s: &str) -> bool {
    let mut rest = s.as_bytes();
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=5).contains(&digits) {
            return false;
        }
        rest = rest.get(digits..).unwrap_or_default();
        let unit = match rest {
            [b'm', b's', ..] => 2,
            [b'h' | b'm' | b's', ..] => 1,
            _ => return false,
        };
        rest = rest.get(unit..).unwrap_or_default();
        parts += 1;
    }
    (1..=4).contains(&parts)
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to `len` characters over `alphabet`.
    fn strings(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    fn agrees(pattern: &str, inputs: &[String]) {
        let regex = regex_lite::Regex::new(pattern).expect("pattern compiles");
        let native = matcher(pattern).expect("native matcher");
        for s in inputs {
            assert_eq!(native(s), regex.is_match(s), "{pattern} on {s:?}");
        }
    }

    #[test]
    fn matchers_agree_with_their_regexes() {
        let names = strings(&['a', 'Z', '0', '-', '.', '_', ' '], 5);
        for pattern in [DNS1123_LABEL, DNS1123_SUBDOMAIN, GROUP, KIND, HEADER_NAME] {
            agrees(pattern, &names);
        }
        let mut durations = strings(&['1', 'h', 'm', 's'], 7);
        durations.extend(
            [
                "123456s",
                "12345s",
                "1h2m3s4ms",
                "1h2m3s4ms5s",
                "1ms",
                "1sm",
                "1m1",
                "é",
            ]
            .map(String::from),
        );
        agrees(DURATION, &durations);
        agrees(
            HEADER_NAME,
            &["x-ai-eg-model", "a`b", "a b", "ä", "a:b"].map(String::from),
        );
    }

    #[test]
    fn matchers_cover_the_schema_patterns_they_name() {
        let mut patterns = Vec::new();
        for kind in crate::model::Kind::ALL {
            crate::schema::walk(crate::schema::Schema::of(kind), &mut |s| {
                patterns.extend(s.patterns.iter().map(|p| p.text));
            });
        }
        for pattern in [
            DNS1123_LABEL,
            DNS1123_SUBDOMAIN,
            GROUP,
            KIND,
            DURATION,
            HEADER_NAME,
        ] {
            assert!(patterns.contains(&pattern), "no schema uses {pattern}");
        }
    }
}

//! Pre-scan: bounds size and nesting before the recursive parser runs.

use super::*;

/// Facts gathered by [`prescan`] that are reported only once parsing succeeded.
pub(super) struct Scan {
    /// Whether the source mentions the macro accumulator identifier.
    pub(super) mentions_accumulator: bool,
}

/// Iteratively scans the source, mirroring the CEL lexer closely enough to
/// skip string literals and comments, and computes an upper bound on the depth
/// of the syntax tree the parser will build.
///
/// The bound is the sum, over the currently open brackets (plus the top level),
/// of one plus the number of operator tokens seen at that bracket level since
/// its last comma. Every operator (binary, unary, `?`, `.`, and a postfix call,
/// index or message-literal bracket) adds at most one level of parser
/// recursion and tree depth, and every bracket opens a level, so this never
/// underestimates; it may overestimate for long flat operator chains, which
/// are also deep trees.
pub(super) fn prescan(src: &str) -> Result<Scan, CelCostError> {
    if src.chars().count() > MAX_CODE_POINTS {
        return Err(CelCostError::Parse(format!(
            "expression is longer than {MAX_CODE_POINTS} code points"
        )));
    }
    if src.trim().is_empty() {
        return Err(CelCostError::Parse("expression is empty".into()));
    }

    let bytes = src.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut scan = Scan {
        mentions_accumulator: false,
    };
    // Operator count per open bracket level (index 0 is the top level).
    let mut levels: Vec<usize> = vec![1];
    let mut total: usize = 1;
    // Whether the previous token ends an operand, making a following bracket a
    // postfix call, index or message literal.
    let mut prev_operand = false;
    let mut tokens = 0usize;
    let mut i = 0;

    while i < bytes.len() {
        let c = at(i);
        let mut ops = 0usize;
        let mut operand = false;
        let mut is_token = true;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {
                i += 1;
                operand = prev_operand;
                is_token = false;
            }
            b'/' if at(i + 1) == b'/' => {
                while i < bytes.len() && at(i) != b'\n' {
                    i += 1;
                }
                operand = prev_operand;
                is_token = false;
            }
            b'\'' | b'"' => {
                i = skip_string(bytes, i, false);
                operand = true;
            }
            b'`' => {
                return Err(CelCostError::Parse(format!(
                    "unsupported syntax '`' at {}",
                    position(src, i)
                )))
            }
            b'0'..=b'9' => {
                i = skip_number(bytes, i);
                operand = true;
            }
            b'.' if at(i + 1).is_ascii_digit() => {
                i = skip_number(bytes, i);
                operand = true;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i;
                while matches!(at(i), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
                    i += 1;
                }
                let word = src.get(start..i).unwrap_or("");
                let next = at(i);
                operand = word != "in";
                if (next == b'\'' || next == b'"') && is_string_prefix(word) {
                    let raw = word.contains(['r', 'R']);
                    i = skip_string(bytes, i, raw);
                } else if word == "in" {
                    ops = 1;
                } else if word == ACCUMULATOR_NAME {
                    scan.mentions_accumulator = true;
                }
            }
            b'(' | b'[' | b'{' => {
                if prev_operand {
                    ops = 1;
                }
                levels.push(1);
                total += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                if levels.len() > 1 {
                    total -= levels.pop().unwrap_or(0);
                }
                i += 1;
                operand = true;
            }
            b',' => {
                if let Some(top) = levels.last_mut() {
                    total -= *top - 1;
                    *top = 1;
                }
                i += 1;
            }
            b'=' | b'!' | b'<' | b'>' | b'&' | b'|' => {
                // Two-character operators (==, !=, <=, >=, &&, ||) count once.
                let pair = matches!(
                    (c, at(i + 1)),
                    (b'=' | b'!' | b'<' | b'>', b'=') | (b'&', b'&') | (b'|', b'|')
                );
                i += if pair { 2 } else { 1 };
                ops = 1;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'?' | b'.' => {
                i += 1;
                ops = 1;
            }
            // ':' separates ternary branches and map entries; anything else is
            // left for the real lexer to accept or reject.
            _ => i += 1,
        }
        if is_token {
            tokens += 1;
            if tokens > MAX_TOKENS {
                return Err(CelCostError::Parse(format!(
                    "expression has more than {MAX_TOKENS} tokens"
                )));
            }
        }
        if ops > 0 {
            // For an opening bracket this is the level that contains it.
            let containing = if matches!(c, b'(' | b'[' | b'{') {
                levels.len().checked_sub(2)
            } else {
                levels.len().checked_sub(1)
            };
            if let Some(level) = containing.and_then(|idx| levels.get_mut(idx)) {
                *level += ops;
                total += ops;
            }
        }
        prev_operand = operand;
        if total > MAX_NESTING {
            return Err(CelCostError::Parse(format!(
                "expression is nested too deeply or has too many chained operators \
                 (more than {MAX_NESTING} levels) at {}",
                position(src, i.min(bytes.len()))
            )));
        }
    }
    Ok(scan)
}

/// Whether `word` is a string/bytes literal prefix (`r`, `b`, `rb`, `br`, any case).
pub(super) fn is_string_prefix(word: &str) -> bool {
    matches!(word.to_ascii_lowercase().as_str(), "r" | "b" | "rb" | "br")
}

/// Skips a string literal whose opening quote is at `start`; returns the index
/// just past it (or the end of input if it is unterminated, which the real
/// lexer rejects).
pub(super) fn skip_string(bytes: &[u8], start: usize, raw: bool) -> usize {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let quote = at(start);
    let len = bytes.len();
    if at(start + 1) == quote && at(start + 2) == quote {
        // Triple-quoted: the closing delimiter is checked before escapes.
        let mut j = start + 3;
        while j < len {
            if at(j) == quote && at(j + 1) == quote && at(j + 2) == quote {
                return j + 3;
            }
            j += if !raw && at(j) == b'\\' { 2 } else { 1 };
        }
        return len;
    }
    let mut j = start + 1;
    while j < len {
        let c = at(j);
        if c == quote {
            return j + 1;
        }
        if !raw && c == b'\\' {
            j += 2;
            continue;
        }
        if !raw && c == b'\n' {
            // Not allowed in a single-line string: the lexer fails here.
            return j;
        }
        j += 1;
    }
    len
}

/// Skips a numeric literal starting at `start` (a digit, or `.` followed by a
/// digit), following the CEL lexer's longest-match rules.
pub(super) fn skip_number(bytes: &[u8], start: usize) -> usize {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let digits = |mut i: usize| {
        while at(i).is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = start;
    if at(i) == b'0' && matches!(at(i + 1), b'x' | b'X') && at(i + 2).is_ascii_hexdigit() {
        i += 2;
        while at(i).is_ascii_hexdigit() {
            i += 1;
        }
        if matches!(at(i), b'u' | b'U') {
            i += 1;
        }
        return i;
    }
    i = digits(i);
    let mut is_float = false;
    if at(i) == b'.' && at(i + 1).is_ascii_digit() {
        i = digits(i + 1);
        is_float = true;
    }
    if matches!(at(i), b'e' | b'E') {
        let mut j = i + 1;
        if matches!(at(j), b'+' | b'-') {
            j += 1;
        }
        if at(j).is_ascii_digit() {
            i = digits(j);
            is_float = true;
        }
    }
    if !is_float && matches!(at(i), b'u' | b'U') {
        i += 1;
    }
    i
}

/// Formats a byte offset as a 1-based "line L, column C" position.
pub(super) fn position(src: &str, offset: usize) -> String {
    let mut line = 1usize;
    let mut column = 1usize;
    for (idx, ch) in src.char_indices() {
        if idx >= offset {
            break;
        }
        if ch == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    format!("line {line}, column {column}")
}

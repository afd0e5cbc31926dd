//! cel-go's parser front end: lexer, grammar and parser limits.
//!
//! `cel-core`'s parser accepts a slightly different language than cel-go
//! v0.23's ANTLR grammar (`parser/gen/CEL.g4`): it takes `0X10`, `rb'..'`,
//! a ternary as the middle operand of a ternary and a trailing comma in call
//! arguments, and it rejects `-0x8000000000000000`. This module lexes and
//! parses the source the way cel-go does, enforcing cel-go's limits (100,000
//! code points; recursion depth 250, counted per grammar rule like cel-go's
//! ANTLR parse listener, and over the tree like its visitor), and validates
//! literals as cel-go's visitor does. It then writes a canonical copy of the
//! source, with the same meaning in both dialects, for `cel-core` to parse:
//! unary `!`/`-` runs collapsed as cel-go collapses them, hex integers in
//! decimal, and escaped string literals re-encoded.

use std::fmt::Write as _;

use super::*;

/// cel-go's default `maxRecursionDepth`.
const MAX_RECURSION_DEPTH: usize = 250;

/// Identifiers cel-go's parser refuses as names (`true`, `false`, `null` and
/// `in` are tokens of their own).
const RESERVED: [&str; 17] = [
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Int,
    UInt,
    Float,
    Str { raw: bool, bytes: bool },
    Ident,
    True,
    False,
    Null,
    In,
    Punct(&'static str),
}

#[derive(Clone, Debug)]
struct Token {
    kind: Tok,
    start: usize,
    end: usize,
}

const PUNCTS: [&str; 24] = [
    "==", "!=", "<=", ">=", "&&", "||", "<", ">", "[", "]", "{", "}", "(", ")", ".", ",", "-", "!",
    "?", ":", "+", "*", "/", "%",
];

/// The outcome of [`cel_go_parse`].
pub(super) struct Parsed {
    /// The canonical source for `cel-core`.
    pub(super) source: String,
    /// Whether the source names `cel-core`'s macro accumulator, which is an
    /// undeclared identifier for cel-go.
    pub(super) mentions_accumulator: bool,
}

/// Parses `src` as cel-go does and returns the canonical source for
/// `cel-core`, or the syntax error cel-go reports.
pub(super) fn cel_go_parse(src: &str) -> Result<Parsed, CelCostError> {
    if src.chars().count() > MAX_CODE_POINTS {
        return Err(CelCostError::Parse(format!(
            "expression code point size exceeds limit: size: {}, limit {MAX_CODE_POINTS}",
            src.chars().count()
        )));
    }
    if src.trim().is_empty() {
        return Err(CelCostError::Parse("expression is empty".into()));
    }
    let tokens = lex(src)?;
    if tokens.is_empty() {
        return Err(CelCostError::Parse("expression is empty".into()));
    }
    let mut parser = Parser {
        src,
        tokens,
        pos: 0,
        rule_depth: [0; RULES],
        edits: Vec::new(),
    };
    let depth = parser.expr()?;
    if let Some(tok) = parser.peek() {
        return Err(parser.syntax_error(tok.start, "extraneous input"));
    }
    if depth > MAX_RECURSION_DEPTH {
        return Err(CelCostError::Parse(format!(
            "max recursion depth exceeded (more than {MAX_RECURSION_DEPTH} nested operations)"
        )));
    }
    let mut edits = std::mem::take(&mut parser.edits);
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for (start, end, text) in edits {
        if start < at {
            continue;
        }
        out.push_str(src.get(at..start).unwrap_or(""));
        out.push_str(&text);
        at = end;
    }
    out.push_str(src.get(at..).unwrap_or(""));
    let mentions_accumulator = parser
        .tokens
        .iter()
        .any(|t| t.kind == Tok::Ident && src.get(t.start..t.end) == Some(ACCUMULATOR_NAME));
    Ok(Parsed {
        source: out,
        mentions_accumulator,
    })
}

// ---------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------

fn lex(src: &str) -> Result<Vec<Token>, CelCostError> {
    let bytes = src.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut tokens = Vec::new();
    let mut i = 0;
    let bad =
        |i: usize| CelCostError::Parse(format!("token recognition error at {}", position(src, i)));
    while i < bytes.len() {
        let c = at(i);
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\r' | b'\n' | 0x0c => {
                i += 1;
                continue;
            }
            b'/' if at(i + 1) == b'/' => {
                while i < bytes.len() && at(i) != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'0'..=b'9' => {
                let (end, kind) = lex_number(bytes, i);
                i = end;
                kind
            }
            b'.' if at(i + 1).is_ascii_digit() => {
                let (end, kind) = lex_number(bytes, i);
                i = end;
                kind
            }
            b'\'' | b'"' => {
                i = lex_string(bytes, i, false).ok_or_else(|| bad(start))?;
                Tok::Str {
                    raw: false,
                    bytes: false,
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while matches!(at(i), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
                    i += 1;
                }
                let word = src.get(start..i).unwrap_or("");
                let next = at(i);
                let prefix = match word {
                    "r" | "R" => Some((true, false)),
                    "b" | "B" => Some((false, true)),
                    "br" | "bR" | "Br" | "BR" => Some((true, true)),
                    _ => None,
                };
                match prefix {
                    Some((raw, is_bytes)) if next == b'\'' || next == b'"' => {
                        i = lex_string(bytes, i, raw).ok_or_else(|| bad(start))?;
                        Tok::Str {
                            raw,
                            bytes: is_bytes,
                        }
                    }
                    _ => match word {
                        "true" => Tok::True,
                        "false" => Tok::False,
                        "null" => Tok::Null,
                        "in" => Tok::In,
                        _ => Tok::Ident,
                    },
                }
            }
            _ => {
                let rest = src.get(i..).unwrap_or("");
                let punct = PUNCTS.iter().find(|p| rest.starts_with(**p));
                match punct {
                    Some(p) => {
                        i += p.len();
                        Tok::Punct(p)
                    }
                    None => return Err(bad(i)),
                }
            }
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
        });
    }
    Ok(tokens)
}

/// The longest numeric token at `start` (NUM_FLOAT, NUM_INT or NUM_UINT).
fn lex_number(bytes: &[u8], start: usize) -> (usize, Tok) {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let digits = |mut i: usize| {
        while at(i).is_ascii_digit() {
            i += 1;
        }
        i
    };
    let exponent = |i: usize| -> Option<usize> {
        if !matches!(at(i), b'e' | b'E') {
            return None;
        }
        let mut j = i + 1;
        if matches!(at(j), b'+' | b'-') {
            j += 1;
        }
        at(j).is_ascii_digit().then(|| digits(j))
    };
    if at(start) == b'.' {
        let end = digits(start + 1);
        return (exponent(end).unwrap_or(end), Tok::Float);
    }
    // Only a lowercase `0x` starts a hex literal in cel-go's grammar.
    if at(start) == b'0' && at(start + 1) == b'x' && at(start + 2).is_ascii_hexdigit() {
        let mut i = start + 2;
        while at(i).is_ascii_hexdigit() {
            i += 1;
        }
        if matches!(at(i), b'u' | b'U') {
            return (i + 1, Tok::UInt);
        }
        return (i, Tok::Int);
    }
    let int_end = digits(start);
    if at(int_end) == b'.' && at(int_end + 1).is_ascii_digit() {
        let frac = digits(int_end + 1);
        return (exponent(frac).unwrap_or(frac), Tok::Float);
    }
    if let Some(end) = exponent(int_end) {
        return (end, Tok::Float);
    }
    if matches!(at(int_end), b'u' | b'U') {
        return (int_end + 1, Tok::UInt);
    }
    (int_end, Tok::Int)
}

/// Lexes a string literal whose opening quote is at `start`; returns the end,
/// or `None` when cel-go's lexer fails (unterminated, bad escape, newline).
fn lex_string(bytes: &[u8], start: usize, raw: bool) -> Option<usize> {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let quote = at(start);
    let len = bytes.len();
    let triple = at(start + 1) == quote && at(start + 2) == quote;
    if triple {
        let mut j = start + 3;
        while j < len {
            if at(j) == quote && at(j + 1) == quote && at(j + 2) == quote {
                return Some(j + 3);
            }
            if !raw && at(j) == b'\\' {
                j = escape_end(bytes, j)?;
            } else {
                j += 1;
            }
        }
        // An unterminated triple quote lexes as an empty string followed by
        // an unterminated one: an error either way.
        return None;
    }
    let mut j = start + 1;
    while j < len {
        let c = at(j);
        if c == quote {
            return Some(j + 1);
        }
        if c == b'\n' || c == b'\r' {
            return None;
        }
        if !raw && c == b'\\' {
            j = escape_end(bytes, j)?;
        } else {
            j += 1;
        }
    }
    None
}

/// The end of the escape sequence (ESC_SEQ) starting with the backslash at `i`.
fn escape_end(bytes: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
    let hex = |from: usize, n: usize| (from..from + n).all(|k| at(k).is_ascii_hexdigit());
    match at(i + 1) {
        b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'"' | b'\'' | b'\\' | b'?' | b'`' => {
            Some(i + 2)
        }
        b'0'..=b'3' if matches!(at(i + 2), b'0'..=b'7') && matches!(at(i + 3), b'0'..=b'7') => {
            Some(i + 4)
        }
        b'x' | b'X' if hex(i + 2, 2) => Some(i + 4),
        b'u' if hex(i + 2, 4) => Some(i + 6),
        b'U' if hex(i + 2, 8) => Some(i + 10),
        _ => None,
    }
}

/// The value of a string or bytes literal token, as cel-go's `unescape`
/// computes it (bytes for a bytes literal, UTF-8 for a string).
fn unescape(text: &str, raw: bool, is_bytes: bool) -> Result<Vec<u8>, &'static str> {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let body = normalized.trim_start_matches(['b', 'B', 'r', 'R']);
    let q = if body.starts_with("'''") || body.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    let inner = body
        .get(q..body.len().saturating_sub(q))
        .ok_or("unable to unescape string")?;
    if raw || !inner.contains('\\') {
        return Ok(inner.as_bytes().to_vec());
    }
    let b = inner.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b.get(i).copied().unwrap_or(0);
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = b.get(i + 1).copied().unwrap_or(0);
        let simple = match e {
            b'a' => Some(7),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(10),
            b'r' => Some(13),
            b't' => Some(9),
            b'v' => Some(11),
            b'\\' | b'\'' | b'"' | b'`' | b'?' => Some(e),
            _ => None,
        };
        if let Some(v) = simple {
            out.push(v);
            i += 2;
            continue;
        }
        let (n, radix, skip) = match e {
            b'x' | b'X' => (2, 16, 2),
            b'u' | b'U' if is_bytes => return Err("unable to unescape string"),
            b'u' => (4, 16, 2),
            b'U' => (8, 16, 2),
            b'0'..=b'3' => (3, 8, 1),
            _ => return Err("unable to unescape string"),
        };
        let digits = inner
            .get(i + skip..i + skip + n)
            .ok_or("unable to unescape string")?;
        let v = u32::from_str_radix(digits, radix).map_err(|_| "unable to unescape string")?;
        i += skip + n;
        if is_bytes {
            // \x and octal escapes are single bytes in a bytes literal.
            out.push(u8::try_from(v).map_err(|_| "unable to unescape string")?);
        } else {
            let ch = char::from_u32(v).ok_or("invalid unicode code point")?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        }
    }
    Ok(out)
}

/// A string or bytes literal in a form both dialects read the same way.
fn canonical_literal(value: &[u8], is_bytes: bool) -> String {
    let mut out = String::from(if is_bytes { "b\"" } else { "\"" });
    if is_bytes {
        for &byte in value {
            match byte {
                b'"' | b'\\' => {
                    out.push('\\');
                    out.push(byte as char);
                }
                0x20..=0x7e => out.push(byte as char),
                _ => {
                    let _ = write!(out, "\\x{byte:02x}");
                }
            }
        }
    } else {
        for ch in String::from_utf8_lossy(value).chars() {
            match ch {
                '"' | '\\' => {
                    out.push('\\');
                    out.push(ch);
                }
                ' '..='~' => out.push(ch),
                _ => {
                    let _ = write!(out, "\\U{:08x}", ch as u32);
                }
            }
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

/// Grammar rules whose nesting cel-go's parse listener limits, one counter each.
#[derive(Clone, Copy)]
enum Rule {
    Expr,
    Or,
    And,
    Relation,
    Calc,
    Unary,
    Member,
    Primary,
    ExprList,
    ListInit,
    MapInit,
    FieldInit,
    OptExpr,
}
const RULES: usize = 13;

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    rule_depth: [usize; RULES],
    /// Replacements (start, end, text) that make the canonical source.
    edits: Vec<(usize, usize, String)>,
}

type Depth = Result<usize, CelCostError>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, k: usize) -> Option<&Token> {
        self.tokens.get(self.pos + k)
    }

    fn is_punct(&self, k: usize, p: &str) -> bool {
        matches!(self.peek_at(k), Some(Token { kind: Tok::Punct(q), .. }) if *q == p)
    }

    fn is_kind(&self, k: usize, kind: &Tok) -> bool {
        self.peek_at(k).is_some_and(|t| t.kind == *kind)
    }

    fn here(&self) -> usize {
        self.peek().map_or(self.src.len(), |t| t.start)
    }

    fn syntax_error(&self, at: usize, what: &str) -> CelCostError {
        CelCostError::Parse(format!("{what} at {}", position(self.src, at)))
    }

    fn expect(&mut self, p: &str) -> Result<(), CelCostError> {
        if self.is_punct(0, p) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax_error(self.here(), &format!("expected '{p}'")))
        }
    }

    /// Enters a rule invocation (or an ANTLR left-recursion context).
    fn enter(&mut self, rule: Rule) -> Result<(), CelCostError> {
        let depth = self.rule_depth.get_mut(rule as usize);
        if let Some(depth) = depth {
            *depth += 1;
            if *depth > MAX_RECURSION_DEPTH {
                return Err(CelCostError::Parse(format!(
                    "expression recursion limit exceeded: {MAX_RECURSION_DEPTH}"
                )));
            }
        }
        Ok(())
    }

    fn exit(&mut self, rule: Rule, times: usize) {
        if let Some(depth) = self.rule_depth.get_mut(rule as usize) {
            *depth = depth.saturating_sub(times);
        }
    }

    /// `expr: conditionalOr ('?' conditionalOr ':' expr)?`
    fn expr(&mut self) -> Depth {
        self.enter(Rule::Expr)?;
        let cond = self.or()?;
        let depth = if self.is_punct(0, "?") {
            self.pos += 1;
            let then = self.or()?;
            self.expect(":")?;
            let other = self.expr()?;
            1 + cond.max(then).max(other)
        } else {
            cond
        };
        self.exit(Rule::Expr, 1);
        Ok(depth)
    }

    fn or(&mut self) -> Depth {
        self.enter(Rule::Or)?;
        let mut depth = self.and()?;
        while self.is_punct(0, "||") {
            self.pos += 1;
            depth = depth.max(self.and()?);
        }
        self.exit(Rule::Or, 1);
        Ok(depth)
    }

    fn and(&mut self) -> Depth {
        self.enter(Rule::And)?;
        let mut depth = self.relation()?;
        while self.is_punct(0, "&&") {
            self.pos += 1;
            depth = depth.max(self.relation()?);
        }
        self.exit(Rule::And, 1);
        Ok(depth)
    }

    fn is_relop(&self) -> bool {
        ["<", "<=", ">=", ">", "==", "!="]
            .iter()
            .any(|p| self.is_punct(0, p))
            || self.is_kind(0, &Tok::In)
    }

    /// `relation: calc | relation op relation` (left-recursive).
    fn relation(&mut self) -> Depth {
        self.enter(Rule::Relation)?;
        let mut depth = self.calc(0)?;
        let mut pushed = 0;
        while self.is_relop() {
            self.pos += 1;
            self.enter(Rule::Relation)?;
            pushed += 1;
            self.enter(Rule::Relation)?;
            let right = self.calc(0)?;
            self.exit(Rule::Relation, 1);
            depth = 1 + depth.max(right);
        }
        self.exit(Rule::Relation, 1 + pushed);
        Ok(depth)
    }

    /// `calc: unary | calc ('*'|'/'|'%') calc | calc ('+'|'-') calc`, parsed
    /// by precedence climbing as ANTLR does (`min` is the precedence floor).
    fn calc(&mut self, min: u8) -> Depth {
        self.enter(Rule::Calc)?;
        let mut depth = self.unary()?;
        let mut pushed = 0;
        loop {
            let mul = ["*", "/", "%"].iter().any(|p| self.is_punct(0, p));
            let add = ["+", "-"].iter().any(|p| self.is_punct(0, p));
            let next = if mul && min <= 2 {
                3
            } else if add && min <= 1 {
                2
            } else {
                break;
            };
            self.pos += 1;
            self.enter(Rule::Calc)?;
            pushed += 1;
            let right = self.calc(next)?;
            depth = 1 + depth.max(right);
        }
        self.exit(Rule::Calc, 1 + pushed);
        Ok(depth)
    }

    /// `unary: member | '!'+ member | '-'+ member`; cel-go drops an even run.
    fn unary(&mut self) -> Depth {
        self.enter(Rule::Unary)?;
        let op = if self.is_punct(0, "!") {
            Some("!")
        } else if self.is_punct(0, "-") {
            Some("-")
        } else {
            None
        };
        let mut run = 0;
        if let Some(op) = op {
            while self.is_punct(run, op) {
                run += 1;
            }
            let number_follows = self.is_kind(run, &Tok::Int) || self.is_kind(run, &Tok::Float);
            if op == "-" && run == 1 && number_follows {
                // `-1` is a signed literal (the member alternative).
                run = 0;
            }
        }
        if run > 1 {
            // Keep one operator for an odd run, none for an even one.
            let keep = usize::from(run % 2 == 1);
            for k in keep..run {
                if let Some(t) = self.peek_at(k) {
                    let blank = " ".repeat(t.end - t.start);
                    self.edits.push((t.start, t.end, blank));
                }
            }
        }
        self.pos += run;
        let depth = self.member()?;
        self.exit(Rule::Unary, 1);
        Ok(depth)
    }

    /// `member: primary | member '.' id | member '.' id '(' args ')' | member '[' expr ']'`
    fn member(&mut self) -> Depth {
        self.enter(Rule::Member)?;
        let mut depth = self.primary()?;
        let mut pushed = 0;
        loop {
            if self.is_punct(0, ".") {
                let dot = self.here();
                self.pos += 1;
                if self.is_punct(0, "?") {
                    return Err(CelCostError::Parse(format!(
                        "unsupported syntax '.?' at {}",
                        position(self.src, dot)
                    )));
                }
                if !self.is_kind(0, &Tok::Ident) {
                    return Err(self.syntax_error(self.here(), "expected an identifier"));
                }
                self.pos += 1;
                self.enter(Rule::Member)?;
                pushed += 1;
                if self.is_punct(0, "(") {
                    self.pos += 1;
                    let args = self.expr_list(")")?;
                    self.expect(")")?;
                    depth = 1 + depth.max(args);
                } else {
                    depth += 1;
                }
            } else if self.is_punct(0, "[") {
                let open = self.here();
                self.pos += 1;
                if self.is_punct(0, "?") {
                    return Err(CelCostError::Parse(format!(
                        "unsupported syntax '[?' at {}",
                        position(self.src, open)
                    )));
                }
                self.enter(Rule::Member)?;
                pushed += 1;
                let index = self.expr()?;
                self.expect("]")?;
                depth = 1 + depth.max(index);
            } else {
                break;
            }
        }
        self.exit(Rule::Member, 1 + pushed);
        Ok(depth)
    }

    fn reserved_check(&self, tok_start: usize, tok_end: usize) -> Result<(), CelCostError> {
        let name = self.src.get(tok_start..tok_end).unwrap_or("");
        if RESERVED.contains(&name) {
            return Err(CelCostError::Parse(format!(
                "reserved identifier: {name} at {}",
                position(self.src, tok_start)
            )));
        }
        Ok(())
    }

    fn primary(&mut self) -> Depth {
        self.enter(Rule::Primary)?;
        let depth = self.primary_inner()?;
        self.exit(Rule::Primary, 1);
        Ok(depth)
    }

    fn primary_inner(&mut self) -> Depth {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.syntax_error(self.src.len(), "unexpected end of expression"));
        };
        match tok.kind {
            Tok::Punct(".") | Tok::Ident => {
                let lead = usize::from(tok.kind == Tok::Punct("."));
                if !self.is_kind(lead, &Tok::Ident) {
                    return Err(self.syntax_error(tok.start, "expected an identifier"));
                }
                // A qualified name followed by '{' is a message literal.
                let mut k = lead + 1;
                while self.is_punct(k, ".") && self.is_kind(k + 1, &Tok::Ident) {
                    k += 2;
                }
                if self.is_punct(k, "{") {
                    self.pos += k + 1;
                    let depth = self.field_init()?;
                    self.expect("}")?;
                    return Ok(depth);
                }
                let ident = self.peek_at(lead).cloned();
                self.pos += lead + 1;
                if let Some(ident) = ident {
                    self.reserved_check(ident.start, ident.end)?;
                }
                if self.is_punct(0, "(") {
                    self.pos += 1;
                    let args = self.expr_list(")")?;
                    self.expect(")")?;
                    return Ok(args);
                }
                Ok(0)
            }
            Tok::Punct("(") => {
                self.pos += 1;
                let depth = self.expr()?;
                self.expect(")")?;
                Ok(depth)
            }
            Tok::Punct("[") => {
                self.pos += 1;
                let depth = self.list_init()?;
                self.expect("]")?;
                Ok(depth)
            }
            Tok::Punct("{") => {
                self.pos += 1;
                let depth = self.map_init()?;
                self.expect("}")?;
                Ok(depth)
            }
            _ => {
                self.literal()?;
                Ok(0)
            }
        }
    }

    /// `exprList: expr (',' expr)*` (no trailing comma), possibly empty
    /// before `close`.
    fn expr_list(&mut self, close: &str) -> Depth {
        if self.is_punct(0, close) {
            return Ok(0);
        }
        self.enter(Rule::ExprList)?;
        let mut depth = self.expr()?;
        while self.is_punct(0, ",") {
            self.pos += 1;
            depth = depth.max(self.expr()?);
        }
        self.exit(Rule::ExprList, 1);
        Ok(depth)
    }

    fn opt_expr(&mut self) -> Depth {
        self.enter(Rule::OptExpr)?;
        if self.is_punct(0, "?") {
            return Err(CelCostError::Parse(format!(
                "unsupported syntax '?' at {}",
                position(self.src, self.here())
            )));
        }
        let depth = self.expr()?;
        self.exit(Rule::OptExpr, 1);
        Ok(depth)
    }

    /// `listInit? ','?` up to `]`.
    fn list_init(&mut self) -> Depth {
        if self.is_punct(0, ",") && self.is_punct(1, "]") {
            self.blank_current();
            return Ok(0);
        }
        if self.is_punct(0, "]") {
            return Ok(0);
        }
        self.enter(Rule::ListInit)?;
        let mut depth = self.opt_expr()?;
        while self.is_punct(0, ",") && !self.is_punct(1, "]") {
            self.pos += 1;
            depth = depth.max(self.opt_expr()?);
        }
        self.exit(Rule::ListInit, 1);
        if self.is_punct(0, ",") {
            self.blank_current();
        }
        Ok(depth)
    }

    /// `mapInitializerList? ','?` up to `}`.
    fn map_init(&mut self) -> Depth {
        if self.is_punct(0, ",") && self.is_punct(1, "}") {
            self.blank_current();
            return Ok(0);
        }
        if self.is_punct(0, "}") {
            return Ok(0);
        }
        self.enter(Rule::MapInit)?;
        let mut depth = 0;
        loop {
            depth = depth.max(self.opt_expr()?);
            self.expect(":")?;
            depth = depth.max(self.expr()?);
            if self.is_punct(0, ",") && !self.is_punct(1, "}") {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.exit(Rule::MapInit, 1);
        if self.is_punct(0, ",") {
            self.blank_current();
        }
        Ok(depth)
    }

    /// `fieldInitializerList? ','?` up to `}`.
    fn field_init(&mut self) -> Depth {
        if self.is_punct(0, ",") && self.is_punct(1, "}") {
            self.blank_current();
            return Ok(0);
        }
        if self.is_punct(0, "}") {
            return Ok(0);
        }
        self.enter(Rule::FieldInit)?;
        let mut depth = 0;
        loop {
            if self.is_punct(0, "?") {
                return Err(CelCostError::Parse(format!(
                    "unsupported syntax '?' at {}",
                    position(self.src, self.here())
                )));
            }
            if !self.is_kind(0, &Tok::Ident) {
                return Err(self.syntax_error(self.here(), "expected a field name"));
            }
            self.pos += 1;
            self.expect(":")?;
            depth = depth.max(self.expr()?);
            if self.is_punct(0, ",") && !self.is_punct(1, "}") {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.exit(Rule::FieldInit, 1);
        if self.is_punct(0, ",") {
            self.blank_current();
        }
        Ok(depth)
    }

    /// Consumes the current token, replacing it by spaces in the canonical
    /// source (a trailing comma `cel-core` may not accept).
    fn blank_current(&mut self) {
        if let Some(t) = self.peek() {
            self.edits.push((t.start, t.end, " ".into()));
        }
        self.pos += 1;
    }

    /// `literal`, including the optional sign of an int or double.
    fn literal(&mut self) -> Result<(), CelCostError> {
        let signed = self.is_punct(0, "-");
        let sign_start = self.here();
        if signed {
            self.pos += 1;
        }
        let Some(tok) = self.peek().cloned() else {
            return Err(self.syntax_error(self.src.len(), "unexpected end of expression"));
        };
        let text = self.src.get(tok.start..tok.end).unwrap_or("");
        let invalid = |what: &str| {
            CelCostError::Parse(format!(
                "invalid {what} literal at {}",
                position(self.src, tok.start)
            ))
        };
        match (&tok.kind, signed) {
            (Tok::Int, _) => {
                let (digits, radix) = match text.strip_prefix("0x") {
                    Some(hex) => (hex, 16),
                    None => (text, 10),
                };
                let signed_digits = format!("{}{digits}", if signed { "-" } else { "" });
                let value =
                    i64::from_str_radix(&signed_digits, radix).map_err(|_| invalid("int"))?;
                if radix == 16 {
                    let from = if signed { sign_start } else { tok.start };
                    self.edits.push((from, tok.end, value.to_string()));
                }
            }
            (Tok::Float, _) => {
                let value: f64 = text.parse().map_err(|_| invalid("double"))?;
                if value.is_infinite() {
                    return Err(invalid("double"));
                }
            }
            (Tok::UInt, false) => {
                let body = text.get(..text.len().saturating_sub(1)).unwrap_or("");
                let (digits, radix) = match body.strip_prefix("0x") {
                    Some(hex) => (hex, 16),
                    None => (body, 10),
                };
                let value = u64::from_str_radix(digits, radix).map_err(|_| invalid("uint"))?;
                if radix == 16 {
                    self.edits.push((tok.start, tok.end, format!("{value}u")));
                }
            }
            (Tok::Str { raw, bytes }, false) => {
                let value = unescape(text, *raw, *bytes).map_err(|msg| {
                    CelCostError::Parse(format!("{msg} at {}", position(self.src, tok.start)))
                })?;
                if text.contains(['\\', '\r']) || text.len() > 1 && !text.is_ascii() {
                    self.edits
                        .push((tok.start, tok.end, canonical_literal(&value, *bytes)));
                }
            }
            (Tok::True | Tok::False | Tok::Null, false) => {}
            _ => {
                return Err(self.syntax_error(
                    if signed { sign_start } else { tok.start },
                    "unexpected token",
                ))
            }
        }
        self.pos += 1;
        Ok(())
    }
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

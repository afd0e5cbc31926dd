//! A quick acceptance of the everyday cost formulas.
//!
//! Most cost expressions are arithmetic on the token counts, sometimes
//! chosen by the model's name: `input_tokens + output_tokens * 2u`,
//! `model == 'llama-3-8b' ? total_tokens : input_tokens`. Building the
//! cel-go environment to check one of them was a tenth of a one-route run.
//! This module types and evaluates that small subset directly and says
//! only "accepted": whatever it does not recognise, or would reject, goes
//! to the full check, which alone words the errors.
//!
//! The subset: the declared variables; decimal `int` and `uint` literals
//! without leading zeros; quoted strings of plain characters; `?:`, `||`,
//! `&&`, `==`, `!=`, `+`, `-`, `*`, `/`, `%` and parentheses. Typing is
//! cel-go's for these operators (both operands of the same type, no
//! numeric widening), and every operand is evaluated with the dummy
//! inputs, even where cel-go would not evaluate it: an error anywhere,
//! which cel-go might have skipped, sends the expression to the full check.

use super::{DUMMY, STRING_VARS, UINT_VARS};

/// Longest expression looked at, in bytes.
const MAX_BYTES: usize = 512;
/// Deepest nesting looked at (cel-go allows far more).
const MAX_DEPTH: usize = 32;

/// Whether the controller certainly accepts `expr`. `false` means "not
/// known here", not "rejected".
pub(super) fn accepts(expr: &str) -> bool {
    if expr.len() > MAX_BYTES {
        return false;
    }
    let Some(tokens) = lex(expr) else {
        return false;
    };
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        depth: 0,
    };
    let Some(value) = parser.ternary() else {
        return false;
    };
    if parser.at != tokens.len() {
        return false;
    }
    match value {
        Value::Uint(_) => true,
        Value::Int(i) => i >= 0,
        Value::Bool(_) | Value::Str(_) => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Ident(&'a str),
    Int(i64),
    Uint(u64),
    Str(&'a str),
    Op(&'static str),
}

fn lex(expr: &str) -> Option<Vec<Token<'_>>> {
    const OPS: [&str; 14] = [
        "==", "!=", "&&", "||", "?", ":", "+", "-", "*", "/", "%", "(", ")", "!",
    ];
    let bytes = expr.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let rest = expr.get(i..)?;
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let len = rest
                .bytes()
                .position(|c| !(c.is_ascii_alphanumeric() || c == b'_'))
                .unwrap_or(rest.len());
            tokens.push(Token::Ident(rest.get(..len)?));
            i += len;
        } else if b.is_ascii_digit() {
            let len = rest
                .bytes()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let digits = rest.get(..len)?;
            // `08` is an error in cel-go and `010` octal: not here.
            if len > 1 && digits.starts_with('0') {
                return None;
            }
            i += len;
            match bytes.get(i) {
                Some(b'u' | b'U') => {
                    tokens.push(Token::Uint(digits.parse().ok()?));
                    i += 1;
                }
                _ => tokens.push(Token::Int(digits.parse().ok()?)),
            }
            // `1x`, `2.5`, `1e3`, `2uu`: another literal form.
            if bytes
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
            {
                return None;
            }
        } else if b == b'\'' || b == b'"' {
            let body = rest.get(1..)?;
            let len = body.bytes().position(|c| c == b)?;
            let text = body.get(..len)?;
            let plain = |c: u8| c.is_ascii_alphanumeric() || b" ._:/-".contains(&c);
            if !text.bytes().all(plain) {
                return None;
            }
            // `'''` and `"""` open a multi-line string.
            if len == 0 && body.as_bytes().get(1) == Some(&b) {
                return None;
            }
            tokens.push(Token::Str(text));
            i += len + 2;
        } else {
            let op = OPS.iter().find(|op| rest.starts_with(**op))?;
            tokens.push(Token::Op(op));
            i += op.len();
        }
    }
    Some(tokens)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value<'a> {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Str(&'a str),
}

struct Parser<'t, 'a> {
    tokens: &'t [Token<'a>],
    at: usize,
    depth: usize,
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.at).copied()
    }

    fn eat(&mut self, op: &str) -> bool {
        match self.peek() {
            Some(Token::Op(o)) if o == op => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }

    /// `cond ? a : b`, right-associative; both branches of one type.
    fn ternary(&mut self) -> Option<Value<'a>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let cond = self.or()?;
        let value = if self.eat("?") {
            let yes = self.or()?;
            if !self.eat(":") {
                return None;
            }
            let no = self.ternary()?;
            let Value::Bool(cond) = cond else {
                return None;
            };
            if std::mem::discriminant(&yes) != std::mem::discriminant(&no) {
                return None;
            }
            if cond {
                yes
            } else {
                no
            }
        } else {
            cond
        };
        self.depth -= 1;
        Some(value)
    }

    /// One left-associative level of binary operators, `next (op next)*`,
    /// each pair joined by `join` (`None`: not in the subset, or an error).
    fn level(
        &mut self,
        ops: &[&str],
        next: fn(&mut Self) -> Option<Value<'a>>,
        join: fn(&str, Value<'a>, Value<'a>) -> Option<Value<'a>>,
    ) -> Option<Value<'a>> {
        let mut left = next(self)?;
        while let Some(op) = ops.iter().copied().find(|op| self.eat(op)) {
            let right = next(self)?;
            left = join(op, left, right)?;
        }
        Some(left)
    }

    fn or(&mut self) -> Option<Value<'a>> {
        self.level(&["||"], Self::and, logical)
    }

    fn and(&mut self) -> Option<Value<'a>> {
        self.level(&["&&"], Self::equality, logical)
    }

    /// `==` and `!=` (cel-go's relations, at one level; `<` and the others
    /// are not in the subset).
    fn equality(&mut self) -> Option<Value<'a>> {
        self.level(&["==", "!="], Self::sum, equality)
    }

    fn sum(&mut self) -> Option<Value<'a>> {
        self.level(&["+", "-"], Self::product, arithmetic)
    }

    fn product(&mut self) -> Option<Value<'a>> {
        self.level(&["*", "/", "%"], Self::primary, arithmetic)
    }

    fn primary(&mut self) -> Option<Value<'a>> {
        let token = self.peek()?;
        self.at += 1;
        match token {
            Token::Int(i) => Some(Value::Int(i)),
            Token::Uint(u) => Some(Value::Uint(u)),
            Token::Str(s) => Some(Value::Str(s)),
            Token::Ident(name) if STRING_VARS.contains(&name) => Some(Value::Str(DUMMY)),
            Token::Ident(name) if UINT_VARS.contains(&name) => {
                // A call or a field (`input_tokens.x`, `size(...)`) is not
                // in the subset; `(` after a variable would be a call.
                if self.peek() == Some(Token::Op("(")) {
                    return None;
                }
                Some(Value::Uint(0))
            }
            Token::Op("(") => {
                let value = self.ternary()?;
                self.eat(")").then_some(value)
            }
            _ => None,
        }
    }
}

/// `||` and `&&` on booleans. Both sides were evaluated: an error on either
/// leaves the subset, even where cel-go's short circuit would absorb it
/// (the full check decides those).
fn logical<'a>(op: &str, left: Value<'a>, right: Value<'a>) -> Option<Value<'a>> {
    match (left, right) {
        (Value::Bool(a), Value::Bool(b)) => {
            Some(Value::Bool(if op == "||" { a || b } else { a && b }))
        }
        _ => None,
    }
}

/// `==` and `!=` between values of one type (the only kind of comparison
/// the checker accepts without `dyn`).
fn equality<'a>(op: &str, left: Value<'a>, right: Value<'a>) -> Option<Value<'a>> {
    if std::mem::discriminant(&left) != std::mem::discriminant(&right) {
        return None;
    }
    Some(Value::Bool((left == right) == (op == "==")))
}

/// One checked operation on two integers of one type: `None` on an
/// overflow, a division by zero or an operator not in the subset.
macro_rules! checked {
    ($op:expr, $a:expr, $b:expr) => {
        match $op {
            "+" => $a.checked_add($b),
            "-" => $a.checked_sub($b),
            "*" => $a.checked_mul($b),
            "/" => $a.checked_div($b),
            "%" => $a.checked_rem($b),
            _ => None,
        }
    };
}

/// cel-go's checked arithmetic: an overflow, a division by zero or mixed
/// types is an error (here: not accepted).
fn arithmetic<'a>(op: &str, left: Value<'a>, right: Value<'a>) -> Option<Value<'a>> {
    match (left, right) {
        (Value::Int(a), Value::Int(b)) => checked!(op, a, b).map(Value::Int),
        (Value::Uint(a), Value::Uint(b)) => checked!(op, a, b).map(Value::Uint),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{full_check, CelCostError};
    use super::accepts;

    /// A small deterministic generator (xorshift), so that a failure names
    /// its expression and reproduces.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items.get(self.below(items.len())).copied().unwrap_or("0")
        }
    }

    const ATOMS: [&str; 24] = [
        "input_tokens",
        "output_tokens",
        "total_tokens",
        "model",
        "backend",
        "0",
        "1",
        "7",
        "2u",
        "0u",
        "10U",
        "18446744073709551615u",
        "9223372036854775807",
        "'dummy'",
        "\"llama-3-8b\"",
        "''",
        "007",
        "1.5",
        "true",
        "uint(3)",
        "x",
        "-1",
        "1e3",
        "r'a'",
    ];
    const OPS: [&str; 12] = [
        "+", "-", "*", "/", "%", "==", "!=", "&&", "||", "<", "+", "*",
    ];

    fn expression(random: &mut Random, depth: usize) -> String {
        if depth == 0 || random.below(3) == 0 {
            return random.pick(&ATOMS).to_string();
        }
        let a = expression(random, depth - 1);
        let b = expression(random, depth - 1);
        match random.below(6) {
            0 => format!("({a})"),
            1 => {
                let cond = random.pick(&["model == 'dummy'", "input_tokens != 0u", "true", "a"]);
                format!("{cond} ? {a} : {b}")
            }
            _ => format!("{a} {} {b}", random.pick(&OPS)),
        }
    }

    /// What the fast path accepts, the full check accepts, over thousands
    /// of generated expressions of which many are accepted and many not.
    #[test]
    fn what_is_accepted_quickly_the_full_check_accepts() {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        let (mut accepted, mut passed_on) = (0, 0);
        for _ in 0..1500 {
            let expr = expression(&mut random, 4);
            if accepts(&expr) {
                accepted += 1;
                assert_eq!(full_check(&expr), Ok(()), "{expr}");
            } else {
                passed_on += 1;
            }
        }
        assert!(accepted > 150 && passed_on > 150, "{accepted} {passed_on}");
    }

    /// The formulas of the documentation and the benchmark are accepted
    /// quickly; each near miss goes to the full check, which rejects it.
    #[test]
    fn everyday_formulas_are_accepted_and_near_misses_passed_on() {
        for expr in [
            "input_tokens + output_tokens * 2u",
            "model == 'llama-3-8b' ? total_tokens : input_tokens + output_tokens * 2u",
            "backend == \"openai\" && model != 'gpt-4' ? 1 : 0",
            "(input_tokens + output_tokens) / 1000u",
            "total_tokens",
            "100",
            // A condition's value decides which branch is divided by.
            "10 / (1 == 1 ? 1 : 0)",
            "10 / (1 != 2 && 2 == 2 ? 1 : 0)",
            "10 / (1 == 2 || 2 == 2 ? 1 : 0)",
        ] {
            assert!(accepts(expr), "{expr}");
            assert_eq!(full_check(expr), Ok(()), "{expr}");
        }
        for expr in [
            "input_tokens + 1",           // uint + int: no overload
            "input_tokens - 1u",          // below zero
            "1 - 2",                      // negative
            "input_tokens / 0u",          // division by zero
            "model",                      // a string
            "model == 'a' ? 1 : 2u",      // branches of two types
            "input_tokens == 3",          // uint == int
            "18446744073709551615u + 1u", // overflow
            "10 / (1 == 1 ? 0 : 1)",      // the branches above, divided by zero
            "10 / (1 != 1 ? 1 : 0)",
            "10 / (1 == 2 && 2 == 2 ? 1 : 0)",
            "10 / (1 == 2 || 2 == 3 ? 1 : 0)",
        ] {
            assert!(!accepts(expr), "{expr}");
            assert!(
                matches!(
                    full_check(expr),
                    Err(CelCostError::Check(_)
                        | CelCostError::Eval(_)
                        | CelCostError::Negative(_)
                        | CelCostError::NotInteger(_)
                        | CelCostError::Parse(_))
                ),
                "{expr}"
            );
        }
    }
}

//! Diagnostics: where in a file (`Pos`), what a rule found (`Finding`), what is
//! reported and how serious it is (`Diagnostic`, `Severity`); the rule table
//! they name is `rules`.

use serde::Serialize;

pub mod span;

use span::Location;

pub mod rules;
#[cfg(test)]
pub(crate) mod testing;

use rules::Rule;

/// The severity of a reported diagnostic (a rule at `off` reports nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warn,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }
}

/// A position in a source file: 1-based line and column, byte offset and length.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub len: usize,
}

impl Pos {
    /// The start of the file, for findings about the power as a whole.
    pub const START: Pos = Pos {
        line: 1,
        column: 1,
        offset: 0,
        len: 0,
    };

    pub fn of(loc: &Location) -> Pos {
        if loc.line() == 0 {
            return Pos::START;
        }
        // Scanner errors carry no byte offset; reporters then work from line and column.
        let (offset, len) = loc.bytes().unwrap_or((usize::MAX, 0));
        Pos {
            line: loc.line(),
            column: loc.column().max(1),
            offset,
            len,
        }
    }
}

/// What a rule found in one power, before levels and `allow` apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub pos: Pos,
    pub message: String,
}

impl Finding {
    pub fn new(rule: Rule, pos: Pos, message: impl Into<String>) -> Self {
        Finding {
            rule,
            pos,
            message: message.into(),
        }
    }
}

/// A reported problem: SPEC §2 and §3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// Path relative to the catalogue root, with `/` separators.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub len: usize,
}

impl Diagnostic {
    pub fn sort_key(&self) -> (&str, u32, u32, Rule, &str) {
        (&self.file, self.line, self.column, self.rule, &self.message)
    }
}

/// Totals for the closing line and the exit code.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut files: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        Counts {
            errors: diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
            warnings: diags
                .iter()
                .filter(|d| d.severity == Severity::Warn)
                .count(),
            files: files.len(),
        }
    }
}

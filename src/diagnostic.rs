//! Problems found in a site, reported the way a compiler reports them: every one at once,
//! each naming the file, line and column, with the source line and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// 1-based line and column.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub source_line: Option<String>,
    /// How many characters the caret marks.
    pub width: usize,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            source_line: None,
            width: 1,
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at a 1-based line and column of `text`, keeping the line for display.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// Points at a byte offset of `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        self.at(text, line, column)
    }

    /// Points at the value on a `key = value` or `key: value` line of `text`.
    pub fn at_value(self, text: &str, line: usize) -> Self {
        let src = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let start = src.find(['=', ':']).map_or(0, |i| i + 1);
        let skipped = src[start..].len() - src[start..].trim_start().len();
        let value = src[start + skipped..].trim_end();
        let column = src[..start + skipped].chars().count() + 1;
        self.at(text, line, column).width(value.chars().count())
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// ANSI styles for a terminal; all empty when output is not coloured.
struct Palette {
    error: &'static str,
    warning: &'static str,
    bold: &'static str,
    blue: &'static str,
    reset: &'static str,
}

impl Palette {
    fn new(colour: bool) -> Palette {
        if colour {
            Palette {
                error: "\x1b[1;31m",
                warning: "\x1b[1;33m",
                bold: "\x1b[1m",
                blue: "\x1b[1;34m",
                reset: "\x1b[0m",
            }
        } else {
            Palette {
                error: "",
                warning: "",
                bold: "",
                blue: "",
                reset: "",
            }
        }
    }
}

impl Diagnostic {
    /// Compiler-style text; `number` is `(n, of)` when several problems are listed.
    pub fn render(&self, colour: bool, number: Option<(usize, usize)>) -> String {
        let p = Palette::new(colour);
        let (label, style) = match self.severity {
            Severity::Error => ("error", p.error),
            Severity::Warning => ("warning", p.warning),
        };
        let (blue, reset) = (p.blue, p.reset);
        let mut out = format!("{style}{label}{reset}{}: {}", p.bold, self.message);
        if let Some((n, of)) = number {
            out.push_str(&format!(" ({n} of {of})"));
        }
        out.push_str(reset);
        out.push('\n');
        let gutter = self.line.map_or(1, |l| l.to_string().len());
        let pad = " ".repeat(gutter);
        if let Some(file) = &self.file {
            out.push_str(&format!("{pad}{blue}-->{reset} {}", file.display()));
            if let Some(line) = self.line {
                out.push_str(&format!(":{line}"));
                if let Some(col) = self.column {
                    out.push_str(&format!(":{col}"));
                }
            }
            out.push('\n');
        }
        if let (Some(line), Some(src)) = (self.line, &self.source_line) {
            let col = self.column.unwrap_or(1);
            let lead: String = src
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{pad} {blue}|{reset}\n"));
            out.push_str(&format!("{blue}{line} |{reset} {src}\n"));
            out.push_str(&format!(
                "{pad} {blue}|{reset} {lead}{style}{}{reset}\n",
                "^".repeat(self.width)
            ));
        }
        for note in &self.notes {
            out.push_str(&format!(
                "{pad} {blue}={reset} {}note:{reset} {note}\n",
                p.bold
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!(
                "{pad} {blue}={reset} {}help:{reset} {help}\n",
                p.bold
            ));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false, None))
    }
}

/// Every problem a stage found. A stage that returns `Err(Problems)` found at least one error.
#[derive(Debug, Default, Clone)]
pub struct Problems(pub Vec<Diagnostic>);

impl Problems {
    pub fn new() -> Self {
        Problems(Vec::new())
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Ok when nothing is wrong, else these problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Problems> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(value)
        }
    }

    /// Problems found while rendering pages: one broken template breaks every page using it,
    /// so each distinct problem is reported once, naming up to three of the pages.
    pub fn of_pages(found: impl IntoIterator<Item = Diagnostic>) -> Problems {
        use std::collections::HashMap;
        let mut problems = Problems::new();
        let mut seen: HashMap<(Option<PathBuf>, Option<usize>, String), usize> = HashMap::new();
        // Pages beyond the three named in a problem's notes.
        let mut more: HashMap<usize, usize> = HashMap::new();
        let rendering = |n: &String| n.starts_with("while rendering");
        for d in found {
            let key = (d.file.clone(), d.line, d.message.clone());
            let Some(&i) = seen.get(&key) else {
                seen.insert(key, problems.0.len());
                problems.push(d);
                continue;
            };
            let first = &mut problems.0[i];
            if first.notes.iter().filter(|n| rendering(n)).count() < 3 {
                first
                    .notes
                    .extend(d.notes.into_iter().filter(|n| rendering(n)));
            } else {
                *more.entry(i).or_default() += 1;
            }
        }
        for (i, n) in more {
            let page = if n == 1 { "page" } else { "pages" };
            problems.0[i]
                .notes
                .push(format!("and while rendering {n} more {page}"));
        }
        problems
    }

    /// Sorted by file and line, so output is stable across parallel runs.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self
    }
}

impl From<Diagnostic> for Problems {
    fn from(d: Diagnostic) -> Self {
        Problems(vec![d])
    }
}

impl Problems {
    /// Every problem, numbered when there are several, then a count line.
    pub fn render(&self, colour: bool) -> String {
        let total = self.0.len();
        let mut out = String::new();
        for (i, d) in self.0.iter().enumerate() {
            out.push_str(&d.render(colour, (total > 1).then_some((i + 1, total))));
            out.push('\n');
        }
        let errors = self.error_count();
        let warnings = total - errors;
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        out.push_str(&format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
        out
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Colour on a terminal, unless `NO_COLOR` is set.
pub fn use_colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The known name closest to `name`, if any is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "a\nবাংলা x";
        let off = text.find('x').unwrap();
        assert_eq!(line_col(text, off), (2, 7));
    }

    #[test]
    fn renders_like_a_compiler() {
        let text = "title = 1\ndatee = 2\n";
        let d = Diagnostic::error("unknown key `datee`")
            .in_file("content/a.md")
            .at(text, 2, 1)
            .width(5)
            .help("did you mean `date`?");
        let s = d.to_string();
        assert_eq!(
            s,
            "error: unknown key `datee`\n --> content/a.md:2:1\n  |\n2 | datee = 2\n  | ^^^^^\n  = help: did you mean `date`?\n"
        );
    }

    #[test]
    fn numbers_and_colours() {
        let p = Problems(vec![Diagnostic::error("a"), Diagnostic::warning("b")]);
        let plain = p.render(false);
        assert!(plain.starts_with("error: a (1 of 2)\n"), "{plain}");
        assert!(plain.contains("warning: b (2 of 2)\n"));
        assert!(plain.ends_with("1 error, 1 warning"));
        assert!(!plain.contains('\x1b'));
        assert!(p.render(true).contains("\x1b[1;31merror\x1b[0m"));
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(suggest("titel", &["title", "date"]), Some("title"));
        assert_eq!(suggest("colour", &["title", "date"]), None);
    }
}

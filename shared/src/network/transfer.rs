//! Moving the network in and out: import reports and exports.

use serde::{Deserialize, Serialize};

use super::{ActorView, RelationView};

/// The first characters that make a spreadsheet read a cell as a formula (or strip it to one):
/// `=`, `+`, `-`, `@`, a tab and a carriage return, as OWASP lists them.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell for a CSV file that people open in a spreadsheet: a value that would start a formula
/// (`=HYPERLINK(…)`, `+55 11…`, `-2`) gets a leading `'`, so the spreadsheet shows it as text and
/// runs nothing. [`from_spreadsheet`] reads it back.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    // A value that is already quoted before a formula (`'=1`) gets one more quote, so that
    // reading it back gives it whole.
    if cell.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A cell as [`spreadsheet_safe`] wrote it, or as a spreadsheet saved it: the leading `'` before
/// what would start a formula is dropped.
pub fn from_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A problem with one line of an imported file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineProblem {
    pub line: u64,
    pub message: String,
}

/// What an import did, or would do in a dry run: the rows written (or that would be), and
/// every row left out with its line and reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    pub imported: usize,
    pub errors: Vec<LineProblem>,
}

/// The whole network, or part of it, for an export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkExport {
    pub actors: Vec<ActorView>,
    pub relations: Vec<RelationView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_exported_as_text_and_read_back() {
        for (value, exported) in [
            ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
            ("+55 11 99999-0000", "'+55 11 99999-0000"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Cooperativa", "Cooperativa"),
            ("'quoted", "'quoted"),
            ("'=1", "''=1"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(value), exported);
            assert_eq!(from_spreadsheet(&spreadsheet_safe(value)), value);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_cell_survives_the_round_trip(cell in "\\PC*") {
            let out = spreadsheet_safe(&cell);
            proptest::prop_assert!(!out.starts_with(FORMULA_STARTS));
            proptest::prop_assert_eq!(from_spreadsheet(&out), cell.as_str());
        }
    }
}

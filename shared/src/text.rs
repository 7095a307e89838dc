//! Text helpers: folding for search, trimming and checking what people type.

use crate::AppError;

/// Folds text for case- and accent-insensitive matching: "São Paulo" and "sao paulo" fold alike.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A required single-line text: trimmed, not empty, at most `max` characters.
pub fn required_line(field: &str, label: &str, value: &str, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::validation(field, format!("{label} is required.")));
    }
    if v.chars().count() > max {
        return Err(AppError::validation(field, format!("{label} must be at most {max} characters.")));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(AppError::validation(field, format!("{label} must be a single line of text.")));
    }
    Ok(v.to_string())
}

/// An optional single-line text: `None` when blank, else as [`required_line`].
pub fn optional_line(field: &str, label: &str, value: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_line(field, label, v, max).map(Some),
    }
}

/// A list of short words or phrases: each trimmed, empty ones dropped, repeats (ignoring case
/// and accents) dropped, each at most 60 characters, at most `max` of them.
pub fn word_list(field: &str, label: &str, items: &[String], max: usize, lower: bool) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let v = item.trim();
        if v.is_empty() {
            continue;
        }
        let v = required_line(field, label, v, 60)?;
        let v = if lower { v.to_lowercase() } else { v };
        if seen.insert(fold(&v)) {
            out.push(v);
        }
    }
    if out.len() > max {
        return Err(AppError::validation(field, format!("{label}: at most {max}, not {}.", out.len())));
    }
    Ok(out)
}

/// Appends `text` to `out` with the characters that mean something in HTML escaped (fit for
/// element content, raw-text elements such as `<title>` and `<textarea>`, and quoted attributes).
pub fn escape_html_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text` with the characters that mean something in HTML escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html_into(text, &mut out);
    out
}

/// A moment a filter starts from, as people type it: a date (`2026-12-01`, its midnight UTC) or a
/// date and time in RFC 3339; in RFC 3339 UTC (`2026-12-01T00:00:00Z`), or None if it is neither.
pub fn since_moment(value: &str) -> Option<String> {
    use time::{format_description::well_known::Rfc3339, macros::format_description, Date, OffsetDateTime, UtcOffset};
    let value = value.trim();
    let at = match OffsetDateTime::parse(value, &Rfc3339) {
        Ok(at) => at.to_offset(UtcOffset::UTC),
        Err(_) => Date::parse(value, format_description!("[year]-[month]-[day]")).ok()?.midnight().assume_utc(),
    };
    Some(format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute(), at.second()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("  Cooperativa   São JOÃO "), "cooperativa sao joao");
        assert_eq!(fold("Açaí"), "acai");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn required_line_rules() {
        assert_eq!(required_line("name", "Name", "  Ana ", 10).as_deref(), Ok("Ana"));
        assert_eq!(required_line("name", "Name", "   ", 10).unwrap_err().field(), Some("name"));
        assert!(required_line("name", "Name", "abcdefghijk", 10).is_err());
        assert!(required_line("name", "Name", "a\nb", 10).is_err());
        assert!(required_line("name", "Name", "Ção", 3).is_ok());
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn fold_ignores_case(s in "[a-zA-Zçãéíõú ]{0,30}") {
            prop_assert_eq!(fold(&s.to_uppercase()), fold(&s.to_lowercase()));
        }
    }
}

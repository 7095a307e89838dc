//! Reading the CSV files people export from spreadsheets: UTF-8 (with or without a byte-order
//! mark) or Latin-1, comma- or semicolon-separated, headers matched whatever their case and
//! accents. Each record keeps the line it starts on, for error reports; a record whose number
//! of fields differs from the header's is reported, not guessed at.

use shared::text::fold;

/// The most columns a header may have.
pub const MAX_COLUMNS: usize = 200;

/// A problem with one line of the file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub message: String,
}

/// A file's header (folded for matching) and its records, each with the line it starts on. A
/// record keeps its fields (trimmed) in one buffer, not one string each: a 64 MB file of short
/// cells takes about its own size, not several times it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
    /// Records that could not be read as rows of this header.
    pub errors: Vec<LineError>,
}

impl Table {
    /// The index of the first column whose header folds like one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        column(&self.headers, names)
    }
}

/// The index of the first of `headers` (folded) that folds like one of `names`.
pub fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| {
        let n = fold(n);
        headers.iter().position(|h| *h == n)
    })
}

/// The text of a file: UTF-8 when it is valid UTF-8 (a leading byte-order mark dropped), else
/// Windows-1252, what spreadsheets on Windows save as "Latin-1": ISO-8859-1's letters, and in
/// 0x80–0x9F the curly quotes, dashes and ellipsis that would otherwise be control characters.
/// UTF-8 is read where it lies (no copy).
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// The separator of a file: a semicolon when its first line has more semicolons than commas
/// outside quotes (spreadsheets in Brazil write semicolons), else a comma.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let (mut quoted, mut commas, mut semicolons) = (false, 0, 0);
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// A file's records, read one at a time: only the record being read is held, beside the file.
pub struct Records<'a> {
    /// The header's names, folded for matching.
    pub headers: Vec<String>,
    reader: csv::Reader<std::io::Cursor<std::borrow::Cow<'a, [u8]>>>,
    /// The byte offset of every newline, for line numbers.
    newlines: Vec<u64>,
}

impl Records<'_> {
    /// About how many records follow (the file's lines after the header): a progress bar's total.
    pub fn estimate(&self) -> usize {
        let text: &[u8] = self.reader.get_ref().get_ref();
        // The header's line is not a record; a last line without a newline is.
        (self.newlines.len() + usize::from(!text.ends_with(b"\n"))).saturating_sub(1)
    }

    /// The physical line a record starts on, from its byte offset (the reader's own count
    /// differs with CRLF). A position may point at the line end before the record (CRLF, blank
    /// lines): those bytes are skipped.
    fn line_of(&self, p: Option<&csv::Position>) -> u64 {
        let text: &[u8] = self.reader.get_ref().get_ref();
        p.map(|p| {
            let start = text.get(p.byte() as usize..).unwrap_or_default().iter().take_while(|&&b| b == b'\r' || b == b'\n').count() as u64;
            self.newlines.partition_point(|&n| n < p.byte() + start) as u64 + 1
        })
        .unwrap_or(0)
    }
}

impl Iterator for Records<'_> {
    /// A row of the header's width, trimmed, with its line; or why a line is not one.
    type Item = Result<(u64, csv::StringRecord), LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut r = csv::StringRecord::new();
            match self.reader.read_record(&mut r) {
                Ok(false) => return None,
                Ok(true) => {
                    let line = self.line_of(r.position());
                    if r.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if r.len() != self.headers.len() {
                        let message = format!(
                            "This line has {} field{}; the header has {}.",
                            r.len(),
                            if r.len() == 1 { "" } else { "s" },
                            self.headers.len()
                        );
                        return Some(Err(LineError { line, message }));
                    }
                    // Trimming copies the fields into a buffer of their exact size.
                    r.trim();
                    return Some(Ok((line, r)));
                }
                Err(e) => {
                    let line = self.line_of(e.position());
                    let message = format!("This line cannot be read: {e}.");
                    return Some(Err(LineError { line, message }));
                }
            }
        }
    }
}

/// Opens a file to read its records one at a time. Refused as a whole (one error, line 1) when
/// it is empty, has no header, a header with an empty or repeated name, or more than
/// `MAX_COLUMNS` columns; blank lines are skipped.
pub fn records(bytes: &[u8]) -> Result<Records<'_>, LineError> {
    let whole = |message: String| LineError { line: 1, message };
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(whole("The file is empty.".into()));
    }
    let delimiter = separator(&text);
    let newlines: Vec<u64> = text.match_indices('\n').map(|(i, _)| i as u64).collect();
    let bytes = match text {
        std::borrow::Cow::Borrowed(t) => std::borrow::Cow::Borrowed(t.as_bytes()),
        std::borrow::Cow::Owned(t) => std::borrow::Cow::Owned(t.into_bytes()),
    };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(std::io::Cursor::new(bytes));
    let mut header = csv::StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(whole("The file has no header line.".into())),
        Err(e) => return Err(whole(format!("The header line cannot be read: {e}."))),
    }
    if header.len() > MAX_COLUMNS {
        return Err(whole(format!("The header has {} columns; at most {MAX_COLUMNS} are read.", header.len())));
    }
    let headers: Vec<String> = header.iter().map(fold).collect();
    if let Some(i) = headers.iter().position(String::is_empty) {
        return Err(whole(format!("Column {} of the header has no name.", i + 1)));
    }
    for (i, h) in headers.iter().enumerate() {
        if headers[..i].contains(h) {
            return Err(whole(format!("The header names the column \"{}\" twice.", header.get(i).unwrap_or_default().trim())));
        }
    }
    Ok(Records { headers, reader, newlines })
}

/// Reads a whole file (see [`records`]).
pub fn read(bytes: &[u8]) -> Result<Table, LineError> {
    let records = records(bytes)?;
    let mut table = Table { headers: records.headers.clone(), rows: Vec::new(), errors: Vec::new() };
    for record in records {
        match record {
            Ok(row) => table.rows.push(row),
            Err(e) => table.errors.push(e),
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spreadsheet_quotes_and_dashes_are_read_as_windows_1252() {
        // “Mel” – orgânico… as Excel saves it on Windows.
        let bytes = b"\x93Mel\x94 \x96 org\xe2nico\x85";
        assert_eq!(decode(bytes), "\u{201c}Mel\u{201d} \u{2013} orgânico\u{2026}");
    }

    #[test]
    fn semicolons_latin1_and_headers_in_any_case_and_accents() {
        // "Município" and "São Joaquim" in Latin-1, as a Brazilian spreadsheet saves them.
        let mut bytes = b"Nome;Tipo;Munic\xedpio\n".to_vec();
        bytes.extend_from_slice(b"Cooperativa Serra;cooperative;S\xe3o Joaquim\n\"Feira; da Praca\";market;Lages\n");
        let t = read(&bytes).unwrap();
        assert_eq!(t.column(&["municipio"]), Some(2));
        assert_eq!(t.column(&["NAME", "nome"]), Some(0));
        assert_eq!(t.column(&["state"]), None);
        assert_eq!(
            t.rows,
            vec![
                (2, csv::StringRecord::from(vec!["Cooperativa Serra", "cooperative", "São Joaquim"])),
                (3, csv::StringRecord::from(vec!["Feira; da Praca", "market", "Lages"])),
            ]
        );
        assert!(t.errors.is_empty());
    }

    #[test]
    fn utf8_with_a_byte_order_mark_and_commas() {
        let t = read("\u{feff}name,kind\r\nAçaí do Pará,cooperative\r\n\r\n\"Empório \"\"Verde\"\"\",buyer\r\n".as_bytes()).unwrap();
        assert_eq!(t.headers, vec!["name", "kind"]);
        assert_eq!(t.rows.iter().map(|(l, r)| (*l, &r[0])).collect::<Vec<_>>(), vec![(2, "Açaí do Pará"), (4, "Empório \"Verde\"")]);
    }

    #[test]
    fn broken_files_are_refused_with_a_reason() {
        assert_eq!(read(b"").unwrap_err().message, "The file is empty.");
        assert_eq!(read(b"  \n\n").unwrap_err().message, "The file is empty.");
        assert!(read(b"name,,kind\n").unwrap_err().message.contains("Column 2 of the header has no name"));
        assert!(read(b"Name,NAME\n").unwrap_err().message.contains("twice"));
        let wide = vec!["c"; 10_000].iter().enumerate().map(|(i, c)| format!("{c}{i}")).collect::<Vec<_>>().join(",");
        assert!(read(wide.as_bytes()).unwrap_err().message.contains("10000 columns"));
    }

    #[test]
    fn a_line_with_too_many_or_too_few_fields_is_reported_with_its_number() {
        let row = vec!["x"; 10_000].join(",");
        let t = read(format!("name,kind\nA,cooperative\n{row}\nB\nC,buyer\n").as_bytes()).unwrap();
        assert_eq!(t.rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 5]);
        assert_eq!(
            t.errors,
            vec![
                LineError { line: 3, message: "This line has 10000 fields; the header has 2.".into() },
                LineError { line: 4, message: "This line has 1 field; the header has 2.".into() },
            ]
        );
    }

    #[test]
    fn records_are_read_one_at_a_time_with_an_estimate_of_their_number() {
        // Latin-1 (decoded into a text of its own) with a quoted newline and a last line
        // without one.
        let mut r = records(b"nome;tipo\nS\xe3o Jos\xe9;coop\n\"Feira\nda Pra\xe7a\";market\nLast;x").unwrap();
        assert_eq!(r.headers, vec!["nome", "tipo"]);
        assert_eq!(r.estimate(), 4, "lines after the header: the quoted newline counts");
        assert_eq!(r.next().unwrap().unwrap(), (2, csv::StringRecord::from(vec!["São José", "coop"])));
        assert_eq!(r.next().unwrap().unwrap().1[0], *"Feira\nda Praça");
        assert_eq!(r.next().unwrap().unwrap().0, 5);
        assert!(r.next().is_none());
        assert_eq!(records(b"name\nA\n").unwrap().estimate(), 1);
    }

    proptest! {
        /// Whatever the bytes, reading never panics, and every row has the header's width.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(t) = read(&bytes) {
                prop_assert!(t.rows.iter().all(|(_, r)| r.len() == t.headers.len()));
            }
        }

        /// Latin-1's letters are decoded as they are; valid UTF-8 is kept as it is.
        #[test]
        fn decoding_keeps_every_character(s in "\\PC{0,40}") {
            prop_assert_eq!(decode(s.as_bytes()), s.as_str());
            let latin1: Vec<u8> = s.chars().filter(|c| (*c as u32) < 256).map(|c| c as u8).collect();
            let expected: String = latin1.iter().map(|&b| char::from(b)).collect();
            if std::str::from_utf8(&latin1).is_err() {
                prop_assert_eq!(decode(&latin1), expected.as_str());
            }
        }
    }
}

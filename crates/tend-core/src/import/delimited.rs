//! CSV and TSV: finding the text encoding (UTF-8 with or without BOM, Excel's UTF-16 "Unicode
//! text", the Windows-1258 and Windows-1252 code pages of older Vietnamese files) and the
//! separator, then reading the cells with the `csv` crate.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

use crate::base::error::{Error, Result};
use crate::import::model::SourceRow;

/// A file's text and the encoding it was read in.
pub struct Decoded {
    pub text: String,
    pub encoding: String,
}

/// Rows of a delimited file, and whether tabs separated them.
pub struct Grid {
    pub rows: Vec<SourceRow>,
    pub tab_separated: bool,
}

/// The encodings a user may choose when the detected one is wrong.
pub const ENCODINGS: [&str; 4] = ["utf-8", "utf-16", "windows-1258", "windows-1252"];

/// Decodes a file's bytes to NFC text: the chosen encoding, or the BOM's, or UTF-8 when the
/// bytes are valid UTF-8, or else the Windows code page whose Vietnamese letters they look like.
pub fn decode(bytes: &[u8], chosen: Option<&str>) -> Result<Decoded> {
    let encoding = match chosen {
        Some(label) => Some(
            Encoding::for_label(label.trim().as_bytes())
                .map(|e| {
                    if e == UTF_16BE || label.eq_ignore_ascii_case("utf-16") {
                        bom_utf16(bytes)
                    } else {
                        e
                    }
                })
                .ok_or_else(|| {
                    Error::failed(
                        "import.unknown_encoding",
                        format!("Tend does not know the encoding “{label}”"),
                    )
                    .with("value", label)
                })?,
        ),
        None => None,
    };
    let encoding = match encoding {
        Some(e) => e,
        None => detect(bytes)?,
    };
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors && encoding == UTF_8 && chosen.is_some() {
        return Err(Error::failed(
            "import.not_text",
            "the file is not text in the chosen encoding",
        ));
    }
    let text: String = text.nfc().collect();
    Ok(Decoded {
        text,
        encoding: encoding.name().to_string(),
    })
}

/// UTF-16 with the byte order its BOM says (little-endian without one, as Excel writes it).
fn bom_utf16(bytes: &[u8]) -> &'static Encoding {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        UTF_16BE
    } else {
        UTF_16LE
    }
}

fn detect(bytes: &[u8]) -> Result<&'static Encoding> {
    if let Some((e, _)) = Encoding::for_bom(bytes) {
        return Ok(e);
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    // UTF-16 without a BOM: every other byte of ASCII text is zero.
    let zeros_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 2;
    if half > 8 && zeros_odd * 10 > half * 6 {
        return Ok(UTF_16LE);
    }
    if half > 8 && zeros_even * 10 > half * 6 {
        return Ok(UTF_16BE);
    }
    if sample.contains(&0) || binary_share(sample) > 0.05 {
        return Err(Error::failed(
            "import.not_text",
            "the file is neither a spreadsheet, a vCard nor text separated by commas or tabs",
        ));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(UTF_8);
    }
    Ok(if looks_vietnamese_1258(sample) {
        WINDOWS_1258
    } else {
        WINDOWS_1252
    })
}

/// The share of control bytes that text never has.
fn binary_share(sample: &[u8]) -> f64 {
    let control = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control as f64 / sample.len().max(1) as f64
}

/// Windows-1258 writes Vietnamese with the letters ă â đ ê ô ơ ư and five combining tone marks;
/// in Windows-1252 the same bytes are rare letters (Ì ì Ò Þ ò Ð ð Ã ã Õ õ Ý ý). When most
/// high bytes are among them, the file is Vietnamese.
fn looks_vietnamese_1258(sample: &[u8]) -> bool {
    const VIETNAMESE: [u8; 13] = [
        0xCC, 0xEC, 0xD2, 0xDE, 0xF2, 0xD0, 0xF0, 0xC3, 0xE3, 0xD5, 0xF5, 0xDD, 0xFD,
    ];
    let high: Vec<u8> = sample.iter().copied().filter(|b| *b >= 0x80).collect();
    let marks = high.iter().filter(|b| VIETNAMESE.contains(b)).count();
    !high.is_empty() && marks * 10 >= high.len() * 3
}

/// Splits decoded text into rows. The separator is a tab for `.tsv` and for text whose first
/// line has more tabs than commas and semicolons; otherwise the more frequent of comma and
/// semicolon (Excel writes semicolons where the decimal mark is a comma).
pub fn parse(text: &str, tsv: bool) -> Result<Grid> {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let count = |c: char| first.matches(c).count();
    let (tabs, commas, semis) = (count('\t'), count(','), count(';'));
    let separator = if tsv || (tabs > 0 && tabs >= commas && tabs >= semis) {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => rows.push(SourceRow {
                line: record.position().map(|p| p.line() as u32).unwrap_or(0),
                cells: record.iter().map(|c| c.trim().to_string()).collect(),
            }),
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(Error::failed(
                    "import.bad_text_line",
                    format!("line {line} could not be read: {e}"),
                )
                .with("line", line));
            }
        }
    }
    Ok(Grid {
        rows,
        tab_separated: separator == b'\t',
    })
}

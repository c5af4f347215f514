//! Folding Vietnamese text for search and sorting: lower case, no diacritics, đ → d.
//!
//! SQLite's unicode61 tokenizer removes diacritics but leaves đ/Đ (U+0111/U+0110) alone, because
//! that letter has no Unicode decomposition; so Tend folds text itself before indexing it and
//! before querying.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case, strip every combining mark, map đ to d. "Nguyễn Văn Đức" → "nguyen van duc".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Lower case in NFC, diacritics kept: the form the exact-match column holds.
pub fn exact(text: &str) -> String {
    text.nfc().flat_map(char::to_lowercase).collect()
}

/// Normalises user text to NFC and trims it; `None` for blank input. Vietnamese keyboards can
/// produce decomposed or composed letters for the same word, so everything stored is NFC.
pub fn clean(text: Option<&str>) -> Option<String> {
    let t: String = text?.trim().nfc().collect();
    if t.is_empty() {
        None
    } else {
        Some(t)
    }
}

/// The name a Vietnamese speaker addresses someone by: the last word of the full name
/// ("Nguyễn Văn Đức" → "Đức").
pub fn given_name(full_name: &str) -> &str {
    full_name.split_whitespace().last().unwrap_or("")
}

/// Splits text into search tokens: runs of letters and digits, everything else a separator.
/// Because only letters and digits survive, no query text can reach FTS5 as syntax.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold("ĐƯỜNG Thị Hà Nội"), "duong thi ha noi");
        assert_eq!(fold("nghiêng"), "nghieng");
    }

    #[test]
    fn decomposed_and_composed_fold_alike() {
        let decomposed: String = "Đức".nfd().collect();
        assert_eq!(fold(&decomposed), fold("Đức"));
        assert_eq!(exact(&decomposed), exact("Đức"));
    }

    #[test]
    fn given_name_is_last_word() {
        assert_eq!(given_name("Nguyễn Văn Đức"), "Đức");
        assert_eq!(given_name("  Lan "), "Lan");
        assert_eq!(given_name(""), "");
    }

    #[test]
    fn tokens_drop_syntax() {
        let t: Vec<_> = tokens("\"NEAR\"(a* -b) o'neil").collect();
        assert_eq!(t, ["NEAR", "a", "b", "o", "neil"]);
    }
}

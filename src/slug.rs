//! Turning headlines, tags and names into URL segments.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugMode {
    /// Transliterate to ASCII letters and digits.
    #[default]
    Ascii,
    /// Keep letters of every script; URLs percent-encode them.
    Unicode,
}

pub fn slugify(text: &str, mode: SlugMode) -> String {
    let source = match mode {
        SlugMode::Ascii => deunicode::deunicode(text),
        SlugMode::Unicode => text.to_string(),
    };
    let mut out = String::with_capacity(source.len());
    let mut dash = false;
    for c in source.chars() {
        if keeps(c, mode) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            dash = true;
        }
    }
    out
}

fn keeps(c: char, mode: SlugMode) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    mode == SlugMode::Unicode && !c.is_whitespace() && !is_punctuation(c)
}

fn is_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x00A0..=0x00BF | 0x00D7 | 0x00F7 | 0x0964 | 0x0965 | 0x2000..=0x206F
        | 0x20A0..=0x20CF | 0x2190..=0x2BFF | 0x3000..=0x303F | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20)
}

/// Percent-encodes a URL path, leaving `/` and unreserved characters as they are.
pub fn encode_path(path: &str) -> String {
    percent_encode(path, b"/-._~")
}

/// Percent-encodes every byte but ASCII letters, digits and those in `keep`.
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// Undoes percent-encoding: `a%20b` -> the bytes of `a b`. Malformed escapes stay as written.
pub fn decode_percent(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_slugs() {
        assert_eq!(
            slugify("Council passes \"Rivers & Roads\" bill", SlugMode::Ascii),
            "council-passes-rivers-roads-bill"
        );
        assert_eq!(
            slugify("Côte d'Ivoire's vote", SlugMode::Ascii),
            "cote-divoires-vote"
        );
        assert!(!slugify("ঢাকায় নতুন সেতু", SlugMode::Ascii).is_empty());
    }

    #[test]
    fn unicode_slugs_keep_script() {
        assert_eq!(slugify("ঢাকায় নতুন সেতু।", SlugMode::Unicode), "ঢাকায়-নতুন-সেতু");
        assert_eq!(encode_path("/a b/"), "/a%20b/");
        assert_eq!(decode_percent("/a%20b/%zz%"), b"/a b/%zz%");
    }
}

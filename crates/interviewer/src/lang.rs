//! The interview's language.

use serde::{Deserialize, Serialize};

/// A language Tami speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// The ISO 639-1 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Parses an ISO 639-1 code, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }
}

/// Whether `c` is a Cyrillic letter.
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// Russian when more than half of the letters are Cyrillic, English otherwise
/// (including text without letters).
pub fn detect(text: &str) -> Lang {
    let (mut letters, mut cyrillic) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_cyrillic(c) {
            cyrillic += 1;
        }
    }
    if cyrillic * 2 > letters {
        Lang::Ru
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_cyrillic_share() {
        assert_eq!(detect("Я работал в команде из пяти человек"), Lang::Ru);
        assert_eq!(detect("I worked on React"), Lang::En);
        assert_eq!(detect("Я использовал React в проекте"), Lang::Ru);
        assert_eq!(detect("We used Kubernetes, Terraform и Go"), Lang::En);
        assert_eq!(detect(""), Lang::En);
        assert_eq!(detect("42 %"), Lang::En);
    }

    #[test]
    fn codes_round_trip() {
        for l in [Lang::En, Lang::Ru] {
            assert_eq!(Lang::parse(l.as_str()), Some(l));
        }
        assert_eq!(Lang::parse("RU"), Some(Lang::Ru));
        assert_eq!(Lang::parse("de"), None);
    }
}

//! Languages and texts localised into every language tirkeu speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language of the user interface and of the documents tirkeu produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Kazakh (Cyrillic script).
    Kk,
    /// Russian.
    Ru,
    /// English.
    En,
    /// Chinese (simplified).
    Zh,
}

impl Lang {
    /// Every language, in the order tirkeu lists them.
    pub const ALL: [Lang; 4] = [Lang::Kk, Lang::Ru, Lang::En, Lang::Zh];

    /// The BCP 47 code (`kk`, `ru`, `en`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error for a language code tirkeu does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`; expected one of kk, ru, en, zh")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Accept region subtags such as `ru-KZ` or `zh-Hans`.
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
            .ok_or_else(|| UnknownLang(s.to_owned()))
    }
}

/// A text given in all four languages; the policy refuses a text missing any of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub kk: String,
    pub ru: String,
    pub en: String,
    pub zh: String,
}

impl Localized {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The languages whose text is empty or only whitespace.
    pub fn blank_languages(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|l| self.get(*l).trim().is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_with_regions() {
        assert_eq!("ru-KZ".parse::<Lang>().unwrap(), Lang::Ru);
        assert_eq!("ZH_Hans".parse::<Lang>().unwrap(), Lang::Zh);
        assert_eq!("kk".parse::<Lang>().unwrap(), Lang::Kk);
        assert!("de".parse::<Lang>().is_err());
        assert!("".parse::<Lang>().is_err());
    }

    #[test]
    fn finds_blank_languages() {
        let t = Localized {
            kk: "Төлқұжат".into(),
            ru: " ".into(),
            en: "Passport".into(),
            zh: String::new(),
        };
        assert_eq!(t.blank_languages(), vec![Lang::Ru, Lang::Zh]);
        assert_eq!(t.get(Lang::Kk), "Төлқұжат");
    }
}

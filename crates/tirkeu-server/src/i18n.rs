//! Texts in Kazakh, Russian, English and Chinese, from the Fluent files under `locales/`.
//!
//! Every sentence a person reads — error messages, problem titles, the receipt, status
//! texts — is a Fluent message; Rust code names messages by id and passes parameters.
//! Plurals follow each language's CLDR rules (Russian one/few/many) through Fluent's
//! selectors, never by hand. The files are compiled into the binary (`static_loader!`), and a
//! test fails when any message or placeholder is missing in any language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        // Bidi isolation marks around placeholders would end up inside HTML, PDFs and JSON.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(lang: Lang) -> LanguageIdentifier {
    lang.code()
        .parse()
        .expect("kk, ru, en and zh are language identifiers")
}

/// The message `id` in `lang`.
pub fn text(lang: Lang, id: &str) -> String {
    LOCALES.lookup(&langid(lang), id)
}

/// The message `id` in `lang` with `params`; a parameter that reads as a number is passed
/// as one, so plural selectors work.
pub fn text_with(lang: Lang, id: &str, params: &[(&str, String)]) -> String {
    if params.is_empty() {
        return text(lang, id);
    }
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = params
        .iter()
        .map(|(k, v)| {
            let value = match v.parse::<i64>() {
                Ok(n) => FluentValue::from(n),
                Err(_) => FluentValue::from(v.as_str()),
            };
            (Cow::Owned((*k).to_owned()), value)
        })
        .collect();
    LOCALES.lookup_with_args(&langid(lang), id, &args)
}

/// What `p` says, in `lang`.
pub fn problem(lang: Lang, p: &FieldProblem) -> String {
    text_with(lang, &p.message_id(), &p.params)
}

/// A whole number as `lang` writes it, thousands grouped (CLDR): `43,250` in English and
/// Chinese, `43 250` with no-break spaces in Kazakh and Russian. (Fluent's `NUMBER` in
/// fluent-bundle does not group digits.)
pub fn integer(lang: Lang, n: i64) -> String {
    let separator = match lang {
        Lang::Kk | Lang::Ru => '\u{a0}',
        Lang::En | Lang::Zh => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Whether the message `id` exists (in English, the fallback every language falls back to).
pub fn has(id: &str) -> bool {
    // A message that needs arguments fails to format without them, but it exists; only a
    // retrieval error means there is none (the error type is not exported, hence Debug).
    match LOCALES.lookup_single_language::<&str>(&langid(Lang::En), id, None) {
        Ok(_) => true,
        Err(e) => !format!("{e:?}").starts_with("MessageRetrieval"),
    }
}

/// The language a request's `Accept-Language` asks for, if tirkeu speaks it.
pub fn request_lang(headers: &axum::http::HeaderMap) -> Option<Lang> {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(negotiate)
}

/// The first language of an `Accept-Language` header tirkeu speaks, by the header's
/// weights (`ru;q=0.9, en;q=0.8`); a region or script (`zh-Hans-CN`, `ru-KZ`) counts as
/// its language. `None` when it names none of them.
pub fn negotiate(accept_language: &str) -> Option<Lang> {
    let mut best: Option<(u16, usize, Lang)> = None;
    for (i, item) in accept_language.split(',').enumerate() {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..=1000
        let q = (q.clamp(0.0, 1.0) * 1000.0).round() as u16;
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let Ok(lang) = primary.to_ascii_lowercase().parse::<Lang>() else {
            continue;
        };
        if q == 0 {
            continue;
        }
        // Higher weight wins; at equal weight, the earlier entry.
        if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, lang));
        }
    }
    best.map(|(_, _, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_group_thousands_as_each_language_does() {
        assert_eq!(integer(Lang::En, 43_250), "43,250");
        assert_eq!(integer(Lang::Zh, 1_234_567), "1,234,567");
        assert_eq!(integer(Lang::Ru, 43_250), "43\u{a0}250");
        assert_eq!(integer(Lang::Kk, 100_000), "100\u{a0}000");
        assert_eq!(integer(Lang::En, 999), "999");
        assert_eq!(integer(Lang::En, 0), "0");
        assert_eq!(integer(Lang::En, -1_000), "-1,000");
        assert_eq!(integer(Lang::En, i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn negotiation_follows_weights_and_ignores_regions() {
        assert_eq!(negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Some(Lang::Zh));
        assert_eq!(negotiate("de-DE, ru;q=0.5, en;q=0.7"), Some(Lang::En));
        assert_eq!(negotiate("kk-KZ"), Some(Lang::Kk));
        assert_eq!(negotiate("fr, de"), None);
        assert_eq!(negotiate("ru;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(negotiate(""), None);
    }
}

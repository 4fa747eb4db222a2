//! Public addresses that documents point to (the receipt's QR code, later emails), in one
//! place so the pages that serve them and the documents that link to them cannot drift apart.

use std::fmt::Write as _;

use tirkeu_core::text::Lang;

/// The applicant's status page, under the language prefix (`/{lang}/status`); it takes the
/// application number as the query parameter `number` (not personal data) and asks for the
/// passport number on the page.
pub const STATUS_PAGE_PATH: &str = "/status";

/// The page where an applicant renews a card (`/{lang}/renew`), which the expiry reminder
/// links to; the application number and access code are asked for on the page.
pub const RENEW_PAGE_PATH: &str = "/renew";

/// `{public_url}/{lang}/renew`: the renewal page in `lang`.
pub fn renew_page_url(public_url: &str, lang: Lang) -> String {
    format!(
        "{}/{}{RENEW_PAGE_PATH}",
        public_url.trim_end_matches('/'),
        lang.code()
    )
}

/// `{public_url}/{lang}/status?number={number_compact}`: the status page for one application.
/// `public_url` is the site's origin (a trailing `/` is ignored); the number is percent-encoded
/// should it hold anything but letters and digits.
pub fn status_page_url(public_url: &str, lang: Lang, number_compact: &str) -> String {
    let mut url = format!(
        "{}/{}{STATUS_PAGE_PATH}?number=",
        public_url.trim_end_matches('/'),
        lang.code()
    );
    for b in number_compact.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            url.push(char::from(b));
        } else {
            let _ = write!(url, "%{b:02X}");
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_url_has_the_language_path_and_the_number() {
        assert_eq!(
            status_page_url("https://tirkeu.example.kz", Lang::Kk, "7K2MQ9XD4HRT1BWF"),
            "https://tirkeu.example.kz/kk/status?number=7K2MQ9XD4HRT1BWF"
        );
        assert_eq!(
            status_page_url("https://tirkeu.example.kz/", Lang::Zh, "7K2MQ9XD4HRT1BWF"),
            "https://tirkeu.example.kz/zh/status?number=7K2MQ9XD4HRT1BWF"
        );
        assert_eq!(
            status_page_url("http://localhost:8080", Lang::Ru, "A B&c"),
            "http://localhost:8080/ru/status?number=A%20B%26c"
        );
    }

    #[test]
    fn the_renewal_url_has_the_language_path() {
        assert_eq!(
            renew_page_url("https://tirkeu.example.kz/", Lang::Kk),
            "https://tirkeu.example.kz/kk/renew"
        );
    }
}

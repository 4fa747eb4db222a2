//! The web pages as a browser meets them, over HTTP, on SQLite and on PostgreSQL: languages,
//! the status page, signing in, security headers, CSRF. (Flows in a real browser, with
//! accessibility checks, are in the end-to-end tests.)
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::{PASSWORD, Server, ok_json};
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_SECURITY_POLICY, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;

on_both!(
    pages_speak_four_languages_and_remember_the_choice,
    the_status_page_answers_without_the_number_in_the_url,
    staff_sign_in_and_out_through_pages,
    forms_from_other_sites_are_refused,
);

/// A client that does not follow redirects, so tests see them.
fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn text(r: Response) -> String {
    r.text().await.unwrap()
}

fn cookie_named<'a>(r: &'a Response, name: &str) -> Option<&'a str> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

async fn pages_speak_four_languages_and_remember_the_choice(s: Server) {
    let b = browser();
    // `/` follows Accept-Language, and a remembered choice beats it.
    let r = b
        .get(s.url("/"))
        .header(ACCEPT_LANGUAGE, "ru-RU,ru;q=0.9,en;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/ru/");
    let r = b
        .get(s.url("/"))
        .header(ACCEPT_LANGUAGE, "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[LOCATION], "/en/");
    let r = b
        .get(s.url("/"))
        .header(ACCEPT_LANGUAGE, "ru")
        .header(COOKIE, "lang=zh")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[LOCATION], "/zh/");
    let r = b.get(s.url("/kk")).send().await.unwrap();
    assert_eq!(r.headers()[LOCATION], "/kk/");

    let mut titles = std::collections::BTreeSet::new();
    for (lang, html_lang) in [("kk", "kk"), ("ru", "ru"), ("en", "en"), ("zh", "zh-Hans")] {
        let r = b.get(s.url(&format!("/{lang}/"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let csp = r.headers()[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(
            cookie_named(&r, "lang").map(|c| &c[..7]),
            Some(&format!("lang={lang}")[..])
        );
        let html = text(r).await;
        assert!(
            html.contains(&format!("<html lang=\"{html_lang}\">")),
            "{html}"
        );
        // The switch links this page in every language, each marked with its language.
        for other in ["kk", "ru", "en", "zh"] {
            assert!(
                html.contains(&format!(
                    "href=\"/{other}/\" lang=\"{other}\" hreflang=\"{other}\""
                )),
                "{lang}: no switch to {other}"
            );
        }
        assert!(!html.contains("Unknown localization key"), "{html}");
        assert!(html.contains(&format!("/{lang}/status")));
        let title = html
            .split("<h1>")
            .nth(1)
            .unwrap()
            .split("</h1>")
            .next()
            .unwrap()
            .to_owned();
        titles.insert(title);
    }
    assert_eq!(titles.len(), 4, "{titles:?}");

    // The stylesheet is served here; unknown pages are pages, unknown API paths problems.
    let r = b.get(s.url("/static/tirkeu.css")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let r = b.get(s.url("/en/no-such-page")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(text(r).await.contains("Page not found"));
    let r = b
        .get(s.url("/xx/"))
        .header(ACCEPT_LANGUAGE, "ru")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(text(r).await.contains("Страница не найдена"));
    let r = b.get(s.url("/api/v1/nothing")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}

async fn the_status_page_answers_without_the_number_in_the_url(s: Server) {
    let b = browser();
    // An application to look up, created through the API.
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &json!({
                "permit_type": "work", "language": "ru",
                "applicant": {"surname": "ERIKSSON", "given_names": "ANNA", "passport_number": "N1234567",
                    "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"},
                "address": {"city": "Almaty", "line": "Abay 1"}
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let number = created["number"].as_str().unwrap().to_owned();

    // The QR code's link fills in the number.
    let compact = number.replace('-', "");
    let html = text(
        b.get(s.url(&format!("/en/status?number={compact}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(html.contains(&format!("value=\"{compact}\"")), "{html}");
    assert!(html.contains("method=\"post\""));

    // Nothing typed: the form again, with the summary, the field messages and "Error:".
    let r = b
        .post(s.url("/en/status"))
        .form(&[("number", ""), ("passport_number", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(r).await;
    assert!(html.contains("<title>Error: "), "{html}");
    assert!(
        html.contains("class=\"error-summary\"") && html.contains("href=\"#f-number\""),
        "{html}"
    );
    assert!(html.contains("id=\"f-passport_number-error\""), "{html}");

    // A wrong passport number: the same answer as an unknown number, the number kept.
    let r = b
        .post(s.url("/en/status"))
        .form(&[("number", number.as_str()), ("passport_number", "X0000000")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(r).await;
    assert!(html.contains("No application matches"), "{html}");
    assert!(html.contains(&format!("value=\"{number}\"")), "{html}");

    // The right pair, typed loosely, in Kazakh: the state in plain words and what comes next.
    let r = b
        .post(s.url("/kk/status"))
        .form(&[
            ("number", number.to_lowercase().as_str()),
            ("passport_number", "n 1234567"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = text(r).await;
    assert!(html.contains("Жоба, әлі берілмеген"), "{html}");
    assert!(html.contains(&number), "{html}");
    assert!(
        !html.contains("N1234567"),
        "the passport number is not repeated: {html}"
    );
}

async fn staff_sign_in_and_out_through_pages(s: Server) {
    let b = browser();
    // Without a session the staff page sends to the sign-in page, not a JSON 401.
    let r = b.get(s.url("/ru/staff")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/ru/sign-in");

    let r = b
        .post(s.url("/en/sign-in"))
        .form(&[("username", "officer"), ("password", "wrong password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = text(r).await;
    assert!(
        html.contains("<title>Error: ") && html.contains("not right"),
        "{html}"
    );
    assert!(
        html.contains("value=\"officer\""),
        "the username is kept: {html}"
    );

    let r = b
        .post(s.url("/en/sign-in"))
        .form(&[("username", "officer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/en/staff");
    let set = cookie_named(&r, "tirkeu_session").unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let session = set.split(';').next().unwrap().to_owned();

    let r = b
        .get(s.url("/en/staff"))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = text(r).await;
    assert!(
        html.contains("<h1>Workqueues</h1>") && html.contains("Signed in as officer"),
        "{html}"
    );

    // A host signing in goes to the host portal.
    let r = b
        .post(s.url("/en/sign-in"))
        .form(&[("username", "hotel"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[LOCATION], "/en/host");

    // Signing out ends the session: the cookie no longer opens the page.
    let r = b
        .post(s.url("/en/sign-out"))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        cookie_named(&r, "tirkeu_session")
            .unwrap()
            .contains("Max-Age=0")
    );
    let r = b
        .get(s.url("/en/staff"))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn forms_from_other_sites_are_refused(s: Server) {
    let b = browser();
    // A form posted from another site (what a browser says about it) is refused before any
    // handler runs; the same form from this origin is served.
    let r = b
        .post(s.url("/en/sign-in"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .form(&[("username", "officer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_named(&r, "tirkeu_session").is_none());
    let r = b
        .post(s.url("/en/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("username", "officer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

//! The administrator's pages as a browser meets them, over HTTP, on SQLite and on PostgreSQL:
//! accounts (a generated password shown once that then signs in, a taken username, disabling),
//! a host's API keys (shown once, working as `Authorization: Bearer`, revoked), the policy
//! (a broken file named by line and field and nothing changed, a good one in force), and that
//! only administrators come in.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::{PASSWORD, Server, ok_json};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, COOKIE, LOCATION, SET_COOKIE};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};
use tirkeu_core::policy::DEFAULT_POLICY_TOML;
use tirkeu_store::Store;

on_both!(
    only_administrators_come_in,
    accounts_are_created_with_a_password_shown_once,
    a_broken_account_form_names_the_field,
    a_host_gets_an_email_address_and_a_language,
    accounts_are_disabled_and_enabled,
    a_host_key_is_shown_once_works_and_is_revoked,
    a_broken_policy_is_refused_by_line_and_field_and_a_good_one_replaces_it,
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

/// The `name=value` of the cookie `name` that `r` sets.
fn cookie_set(r: &Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// Signs `username` in through the page with `password`; the response.
async fn sign_in_with(s: &Server, username: &str, password: &str) -> Response {
    browser()
        .post(s.url("/en/sign-in"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// Signs `username` in (with the code of its second factor when it has one); the session
/// cookie to send back.
async fn sign_in(s: &Server, username: &str) -> String {
    s.page_session(username).await
}

async fn get(s: &Server, path: &str, cookies: &str) -> Response {
    browser()
        .get(s.url(path))
        .header(COOKIE, cookies)
        .send()
        .await
        .unwrap()
}

async fn post(s: &Server, path: &str, cookies: &str, form: &[(&str, &str)]) -> Response {
    browser()
        .post(s.url(path))
        .header(COOKIE, cookies)
        .form(form)
        .send()
        .await
        .unwrap()
}

fn location(r: &Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}

/// The secret on a page that shows one once.
fn secret(html: &str) -> String {
    let start = html.find("id=\"secret\"").expect("a secret on the page");
    let from = start + html[start..].find('>').unwrap() + 1;
    let to = from + html[from..].find('<').unwrap();
    html[from..to].trim().to_owned()
}

/// The id of the account `username`, from the JSON API.
async fn user_id(s: &Server, username: &str) -> i64 {
    let users = ok_json(
        s.get("/api/v1/admin/users", Some(&s.admin)).await,
        StatusCode::OK,
    )
    .await;
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn only_administrators_come_in(s: Server) {
    // Not signed in: to the sign-in page.
    let r = browser().get(s.url("/en/admin")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/sign-in");

    // A supervisor and a host: a 403 page in the page's language, nothing of the pages.
    let supervisor = sign_in(&s, "supervisor").await;
    for path in ["/ru/admin", "/ru/admin/users", "/ru/admin/policy"] {
        let r = get(&s, path, &supervisor).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        let page = text(r).await;
        assert!(page.contains("Эта страница вам недоступна"), "{page}");
        assert!(!page.contains("<table"), "{path}");
    }
    let hotel = sign_in(&s, "hotel").await;
    let r = get(&s, "/kk/admin/policy/download", &hotel).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(text(r).await.contains("Бұл бетті аша алмайсыз"));
    let r = post(
        &s,
        "/en/admin/users",
        &hotel,
        &[("username", "sneaky"), ("role", "admin")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The administrator: the start with its overview.
    let admin = sign_in(&s, "admin").await;
    let r = get(&s, "/en/admin", &admin).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = text(r).await;
    for words in [
        "Administration",
        "Migration officer</dt><dd>2",
        "Host</dt><dd>1",
        "<code>kz</code>",
        "2026-11-24",
        "/en/admin/users",
        "/en/admin/policy",
    ] {
        assert!(page.contains(words), "{words} in {page}");
    }
}

async fn accounts_are_created_with_a_password_shown_once(s: Server) {
    let admin = sign_in(&s, "admin").await;
    let r = post(
        &s,
        "/en/admin/users",
        &admin,
        &[
            ("username", " frontdesk "),
            ("role", "host"),
            ("office", ""),
            ("host_kind", "individual"),
            ("password", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    let to = location(&r);
    let id = user_id(&s, "frontdesk").await;
    assert_eq!(to, format!("/en/admin/users/{id}/shown-once"));
    let once = cookie_set(&r, "tirkeu_once").expect("the secret travels in a private cookie");
    assert!(!once.contains("frontdesk"), "the cookie is encrypted");

    // Shown once, not to be cached; the cookie is removed as it is shown.
    let r = get(&s, &to, &format!("{admin}; {once}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    let removed = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("tirkeu_once=;") && v.contains("Max-Age=0"));
    assert!(removed, "the page removes the cookie");
    let page = text(r).await;
    assert!(page.contains("it will not be shown again"), "{page}");
    let password = secret(&page);
    assert_eq!(password.len(), 20);

    // Reloaded (the browser no longer has the cookie): not shown again.
    let page = text(get(&s, &to, &admin).await).await;
    assert!(page.contains("is not shown again"), "{page}");
    assert!(!page.contains(&password));

    // The generated password signs in, as the host it is.
    let r = sign_in_with(&s, "frontdesk", &password).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/host");

    // With a chosen password there is nothing to show: to the account, with a notice.
    let r = post(
        &s,
        "/en/admin/users",
        &admin,
        &[
            ("username", "olzhas"),
            ("role", "officer"),
            ("office", "astana"),
            ("host_kind", ""),
            ("password", "a long enough password"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    assert!(cookie_set(&r, "tirkeu_once").is_none());
    let to = location(&r);
    assert!(to.ends_with("?done=created"), "{to}");
    let page = text(get(&s, &to, &admin).await).await;
    assert!(page.contains("The account was created."), "{page}");
    assert!(page.contains("Migration officer"));
    assert!(
        page.contains("Astana City Police"),
        "the office by its name"
    );
    let r = sign_in_with(&s, "olzhas", "a long enough password").await;
    assert_eq!(location(&r), "/en/staff");

    // The list names roles in words, in the page's language.
    let page = text(get(&s, "/ru/admin/users", &admin).await).await;
    assert!(page.contains("olzhas") && page.contains("frontdesk"));
    assert!(page.contains("Сотрудник миграционной службы"));
    assert!(
        page.contains("Физическое лицо"),
        "the host kind by its name"
    );

    // Both creations are in the audit log, by the administrator.
    let entries =
        tirkeu_store::with_store!(&s.store, st => st.audit_entries(0, 1000).await.unwrap());
    let created: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "user.create")
        .filter(|e| e.actor.starts_with("user:"))
        .collect();
    assert_eq!(created.len(), 2, "{entries:?}");
}

async fn a_broken_account_form_names_the_field(s: Server) {
    let admin = sign_in(&s, "admin").await;
    // Nothing chosen, a short password, a bad name: each field named, answers kept.
    let r = post(
        &s,
        "/en/admin/users",
        &admin,
        &[
            ("username", "a b"),
            ("office", "nowhere"),
            ("host_kind", ""),
            ("password", "short"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    for words in [
        "href=\"#f-username\"",
        "href=\"#f-role\"",
        "href=\"#f-password\"",
        "href=\"#f-office\"",
        "Choose the account&#39;s role.",
        "at least 12 characters",
        "Unknown office",
        "value=\"a b\"",
    ] {
        assert!(page.contains(words), "{words} in {page}");
    }
    // A host kind for an officer is refused at the field.
    let r = post(
        &s,
        "/en/admin/users",
        &admin,
        &[
            ("username", "aigerim"),
            ("role", "officer"),
            ("office", "almaty"),
            ("host_kind", "official"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("Only hosts have a host kind"));

    // An officer without an office would see no case: the office is asked for.
    let r = post(
        &s,
        "/en/admin/users",
        &admin,
        &[("username", "aidana"), ("role", "officer"), ("office", "")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("works the cases of one office"), "{page}");
    assert!(page.contains("href=\"#f-office\""), "{page}");

    // A taken username: the field says so, in the page's language.
    let r = post(
        &s,
        "/zh/admin/users",
        &admin,
        &[
            ("username", "officer"),
            ("role", "officer"),
            ("office", "almaty"),
            ("password", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = text(r).await;
    assert!(page.contains("该用户名已被使用"), "{page}");
    assert!(page.contains("href=\"#f-username\""));
    assert!(page.contains("value=\"officer\""));
    // Nothing was created by the refused forms.
    let users = ok_json(
        s.get("/api/v1/admin/users", Some(&s.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(users.as_array().unwrap().len(), 5);
}

async fn a_host_gets_an_email_address_and_a_language(s: Server) {
    let admin = sign_in(&s, "admin").await;
    let page = text(get(&s, "/kk/admin/users", &admin).await).await;
    assert!(page.contains("name=\"email\""), "{page}");
    assert!(
        page.contains("<option value=\"ru\" lang=\"ru\">Русский</option>"),
        "{page}"
    );
    // An address that is not one, in each language; and one the mailer could not send to.
    for (lang, address, says) in [
        (
            "en",
            "front desk@inn",
            "Enter an e-mail address like name@example.org.",
        ),
        ("ru", "desk@inn", "Введите адрес электронной почты"),
        (
            "en",
            "a\"b@inn.example",
            "Enter an e-mail address like name@example.org.",
        ),
    ] {
        let r = post(
            &s,
            &format!("/{lang}/admin/users"),
            &admin,
            &[
                ("username", "inn"),
                ("role", "host"),
                ("email", address),
                ("language", "ru"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        let page = text(r).await;
        assert!(page.contains("href=\"#f-email\""), "{page}");
        assert!(page.contains(says), "{says}: {page}");
        // The answers are kept, the language chosen still chosen.
        assert!(page.contains("value=\"ru\" lang=\"ru\" selected"), "{page}");
    }
    // Created with both: the account's page shows them.
    let r = post(
        &s,
        "/en/admin/users",
        &admin,
        &[
            ("username", "inn"),
            ("role", "host"),
            ("email", " Desk@Inn.Example "),
            ("language", "ru"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[LOCATION].to_str().unwrap().to_owned();
    let page = text(get(&s, &to, &admin).await).await;
    assert!(page.contains("<dd>Desk@inn.example</dd>"), "{page}");
    assert!(page.contains("<dd>Русский</dd>"), "{page}");
    let users = ok_json(
        s.get("/api/v1/admin/users", Some(&s.admin)).await,
        StatusCode::OK,
    )
    .await;
    let inn = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "inn")
        .unwrap();
    assert_eq!(inn["email"], "Desk@inn.example");
    assert_eq!(inn["language"], "ru");
}

async fn accounts_are_disabled_and_enabled(s: Server) {
    let admin = sign_in(&s, "admin").await;
    let officer = user_id(&s, "officer").await;
    let path = format!("/en/admin/users/{officer}/disabled");
    let officer_session = sign_in(&s, "officer").await;

    let r = post(&s, &path, &admin, &[("disabled", "true")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/admin/users?done=disabled");
    let page = text(get(&s, &location(&r), &admin).await).await;
    assert!(page.contains("The account was disabled"), "{page}");
    assert!(page.contains("Disabled"));
    // Signed out and kept out.
    let r = get(&s, "/en/staff", &officer_session).await;
    assert_eq!(location(&r), "/en/sign-in");
    assert_eq!(
        sign_in_with(&s, "officer", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Enabled again from the account's page: back to it.
    let r = post(
        &s,
        &path,
        &admin,
        &[("disabled", "false"), ("from", "user")],
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/en/admin/users/{officer}?done=enabled")
    );
    sign_in(&s, "officer").await;

    // One's own account: refused with the reason, nothing changed.
    let me = user_id(&s, "admin").await;
    let r = post(
        &s,
        &format!("/en/admin/users/{me}/disabled"),
        &admin,
        &[("disabled", "true")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        text(r)
            .await
            .contains("You cannot disable your own account.")
    );
    assert_eq!(get(&s, "/en/admin", &admin).await.status(), StatusCode::OK);

    // An unknown account is the 404 page.
    let r = post(
        &s,
        "/en/admin/users/9999/disabled",
        &admin,
        &[("disabled", "true")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get(&s, "/en/admin/users/nobody", &admin).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn a_host_key_is_shown_once_works_and_is_revoked(s: Server) {
    let admin = sign_in(&s, "admin").await;
    let hotel = user_id(&s, "hotel").await;
    let keys = format!("/en/admin/users/{hotel}/keys");

    // A label is required.
    let r = post(&s, &keys, &admin, &[("label", "  ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("href=\"#f-label\""), "{page}");
    assert!(page.contains("Label: This field is required."), "{page}");

    let r = post(&s, &keys, &admin, &[("label", "front desk")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    let to = location(&r);
    assert_eq!(to, format!("/en/admin/users/{hotel}/shown-once"));
    let once = cookie_set(&r, "tirkeu_once").unwrap();
    let r = get(&s, &to, &format!("{admin}; {once}")).await;
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    let page = text(r).await;
    assert!(page.contains("API key created"), "{page}");
    assert!(page.contains("it will not be shown again"));
    let key = secret(&page);
    assert!(key.starts_with("tka_"), "{key}");
    assert!(!text(get(&s, &to, &admin).await).await.contains(&key));

    // The key works on the host API.
    assert_eq!(
        s.get("/api/v1/arrivals", Some(&key)).await.status(),
        StatusCode::OK
    );

    // The account's page lists it; revoking asks first, then stops it.
    let page = text(get(&s, &format!("/en/admin/users/{hotel}"), &admin).await).await;
    assert!(page.contains("front desk"), "{page}");
    let revoke_path = page
        .split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .filter(|h| h.ends_with("/revoke"))
        .last()
        .unwrap()
        .to_owned();
    let r = get(&s, &revoke_path, &admin).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = text(r).await;
    assert!(page.contains("Revoke the API key"), "{page}");
    assert_eq!(
        s.get("/api/v1/arrivals", Some(&key)).await.status(),
        StatusCode::OK,
        "asking does not revoke"
    );
    let r = post(&s, &revoke_path, &admin, &[]).await;
    assert_eq!(
        location(&r),
        format!("/en/admin/users/{hotel}?done=revoked")
    );
    assert_eq!(
        s.get("/api/v1/arrivals", Some(&key)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let page = text(get(&s, &location(&r), &admin).await).await;
    assert!(page.contains("The API key was revoked"), "{page}");
    assert!(page.contains("Revoked 20"), "{page}");
    // The other key of the test host still works: only this one was revoked.
    assert_eq!(
        s.get("/api/v1/arrivals", Some(&s.host_key)).await.status(),
        StatusCode::OK
    );
    // Another account's key id under this account is not found.
    let officer = user_id(&s, "officer").await;
    let other = revoke_path.replace(&format!("/users/{hotel}/"), &format!("/users/{officer}/"));
    assert_eq!(
        get(&s, &other, &admin).await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Posts the policy form: the file `file` (when given) and the text box `text`.
async fn upload(s: &Server, session: &str, file: Option<&str>, text: &str) -> Response {
    let mut form = Form::new().text("text", text.to_owned());
    form = match file {
        Some(f) => form.part(
            "file",
            Part::bytes(f.as_bytes().to_vec()).file_name("policy.toml"),
        ),
        None => form.part("file", Part::bytes(Vec::new()).file_name("")),
    };
    browser()
        .post(s.url("/en/admin/policy"))
        .header(COOKIE, session)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn policy_version(s: &Server) -> String {
    let p = ok_json(
        s.get("/api/v1/admin/policy", Some(&s.admin)).await,
        StatusCode::OK,
    )
    .await;
    p["meta"]["version"].as_str().unwrap().to_owned()
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines().position(|l| l.starts_with(needle)).unwrap() + 1
}

async fn a_broken_policy_is_refused_by_line_and_field_and_a_good_one_replaces_it(s: Server) {
    let admin = sign_in(&s, "admin").await;

    // The policy in force, readable, in the page's language; the file as written.
    let page = text(get(&s, "/ru/admin/policy", &admin).await).await;
    for words in [
        "Республика Казахстан",
        "2026-11-24",
        "3 рабочих дня",
        "Asia/Almaty",
        "встроенная в tirkeu",
        "МРП",
        "Управление миграционной службы Департамента полиции города Алматы",
    ] {
        assert!(page.contains(words), "{words} in the policy page");
    }
    let r = get(&s, "/en/admin/policy/download", &admin).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("policy-kz-2026-11-24.toml")
    );
    assert_eq!(text(r).await, DEFAULT_POLICY_TOML);

    // Broken in two places: both named by line and field; the policy in force unchanged.
    let broken = DEFAULT_POLICY_TOML
        .replacen(
            "time_zone = \"Asia/Almaty\"",
            "time_zone = \"Mars/Olympus\"",
            1,
        )
        .replacen("currency = \"KZT\"", "currency = \"USD\"", 1);
    let r = upload(&s, &admin, Some(&broken), "").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("The policy has 2 problems"), "{page}");
    assert!(
        page.contains("href=\"#f-file\""),
        "the summary leads to the file"
    );
    for (needle, field) in [
        ("time_zone = ", "meta.time_zone"),
        ("currency = ", "meta.currency"),
    ] {
        let row = format!(
            "<td data-label=\"Line\">{}</td><td data-label=\"Field\"><code>{field}</code></td>",
            line_of(&broken, needle)
        );
        assert!(page.contains(&row), "{row} in {page}");
    }
    assert!(page.contains("Mars/Olympus"), "the checker's words");
    assert!(page.contains("English only"), "said to be in English");
    assert_eq!(policy_version(&s).await, "2026-11-24");

    // A syntax error, pasted into the box: its line and field, and the text kept to correct.
    let syntax = DEFAULT_POLICY_TOML.replacen("processing_days = ", "processing_days = -", 1);
    let r = upload(&s, &admin, None, &syntax).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("The policy has a problem"), "{page}");
    assert!(page.contains("processing_days"), "{page}");
    assert!(page.contains("processing_days = -"), "the text is kept");
    assert!(
        page.contains("href=\"#f-text\""),
        "the summary leads to the box"
    );

    // Nothing sent, or too much.
    let r = upload(&s, &admin, None, " ").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("Choose a policy file"));
    let huge = format!("{DEFAULT_POLICY_TOML}\n#{}\n", "x".repeat(1024 * 1024));
    let r = upload(&s, &admin, Some(&huge), "").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("larger than 1024 KiB"));
    assert_eq!(policy_version(&s).await, "2026-11-24");

    // A good one: in force, audited, announced with its id and version.
    let good =
        DEFAULT_POLICY_TOML.replacen("version = \"2026-11-24\"", "version = \"2026-12-02\"", 1);
    let r = upload(&s, &admin, Some(&good), "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    assert_eq!(location(&r), "/en/admin/policy?done=replaced");
    let page = text(get(&s, "/en/admin/policy?done=replaced", &admin).await).await;
    assert!(
        page.contains("The new policy is in force: kz, version 2026-12-02."),
        "{page}"
    );
    assert!(page.contains("A policy file loaded in place"));
    assert_eq!(policy_version(&s).await, "2026-12-02");
    let r = get(&s, "/en/admin/policy/download", &admin).await;
    assert_eq!(text(r).await, good);
    let entries =
        tirkeu_store::with_store!(&s.store, st => st.audit_entries(0, 1000).await.unwrap());
    let replaced: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "policy.replace")
        .collect();
    assert_eq!(replaced.len(), 1, "only the good one");
    assert!(
        replaced[0].payload.contains("2026-12-02"),
        "{}",
        replaced[0].payload
    );

    // Pasted into the box works too.
    let again = good.replacen("version = \"2026-12-02\"", "version = \"2026-12-03\"", 1);
    let r = upload(&s, &admin, None, &again).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(policy_version(&s).await, "2026-12-03");
}

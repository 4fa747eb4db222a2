//! The administrator in the browser: signs in, creates an account (its generated password
//! shown once) and a host API key (shown once; a reload does not show it again, and it works
//! on the host API), uploads a broken policy through the file input and sees each problem's
//! line and field, then a good one, which is put in force.

use std::path::PathBuf;

use fantoccini::Locator;
use reqwest::StatusCode;
use tirkeu_core::policy::DEFAULT_POLICY_TOML;

use crate::browser::Browser;
use crate::common::{Server, ok_json};
use crate::flows::{look, message};
use crate::with_browser;

/// Signs the administrator in through the page, in `lang`.
pub async fn sign_in_as_admin(b: &Browser, s: &Server, lang: &str) {
    crate::sign_in(b, s, lang, "admin").await;
    assert_eq!(b.path().await, format!("/{lang}/admin"));
}

/// Writes `text` to `name` in `dir`; the path for the file input.
fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn choose_file(b: &Browser, path: &std::path::Path) {
    b.find("#f-file")
        .await
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
}

/// The version of the policy in force, from the JSON API.
async fn version(s: &Server) -> serde_json::Value {
    let policy = s.get("/api/v1/admin/policy", Some(&s.admin)).await;
    ok_json(policy, StatusCode::OK).await["meta"]["version"].clone()
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines().position(|l| l.starts_with(needle)).unwrap() + 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn an_administrator_creates_an_account_and_a_key_and_replaces_the_policy() {
    with_browser(true, |s, b| async move {
        let lang = "en";
        sign_in_as_admin(&b, &s, lang).await;
        // The back office's navigation leads to the administration, and it to the accounts.
        b.click(&format!("nav.staff-nav a[href='/{lang}/admin']"))
            .await;
        assert_eq!(b.text("h1").await, message(lang, "admin-home-title"));
        b.click(&format!("main a[href='/{lang}/admin/users']"))
            .await;

        // A host account without a password: one is made up and shown once.
        b.type_into("#f-username", "frontdesk").await;
        b.find("input[name=role][value=host]")
            .await
            .click()
            .await
            .unwrap();
        b.find("#f-host_kind option[value=individual]")
            .await
            .click()
            .await
            .unwrap();
        b.click("form[action$='/admin/users'] button[type=submit]")
            .await;
        assert!(
            b.path().await.ends_with("/shown-once"),
            "{}",
            b.path().await
        );
        let password = b.text("#secret").await;
        assert_eq!(password.len(), 20, "{password}");
        assert!(
            b.text(".warning-text")
                .await
                .contains("it will not be shown again")
        );
        look(&b, "admin-password-once-en").await;
        b.client.refresh().await.unwrap();
        assert!(!b.exists("#secret").await, "shown again after a reload");
        assert_eq!(b.text("h1").await, message(lang, "admin-once-gone-title"));

        // The account's page: an API key, labelled; shown once, then not again.
        b.click("main a[href*='/admin/users/']").await;
        assert!(b.text("h1").await.contains("frontdesk"));
        b.type_into("#f-label", "front desk").await;
        b.click("form[action$='/keys'] button[type=submit]").await;
        let key = b.text("#secret").await;
        assert!(key.starts_with("tka_"), "{key}");
        look(&b, "admin-key-once-en").await;
        b.client.refresh().await.unwrap();
        assert!(
            !b.exists("#secret").await,
            "the key shown again after a reload"
        );
        assert!(!b.client.source().await.unwrap().contains(&key));
        // It works on the host API, and the generated password signs in.
        assert_eq!(
            s.get("/api/v1/arrivals", Some(&key)).await.status(),
            StatusCode::OK
        );
        let r = s
            .post(
                "/api/v1/auth/login",
                None,
                &serde_json::json!({"username": "frontdesk", "password": password}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);

        // The policy, in Kazakh: a broken file is refused with each problem's line and field.
        let lang = "kk";
        let dir = tempfile::tempdir().unwrap();
        let broken = DEFAULT_POLICY_TOML
            .replacen(
                "time_zone = \"Asia/Almaty\"",
                "time_zone = \"Mars/Olympus\"",
                1,
            )
            .replacen("currency = \"KZT\"", "currency = \"USD\"", 1);
        b.goto(&s.url(&format!("/{lang}/admin/policy"))).await;
        choose_file(&b, &file(&dir, "broken.toml", &broken)).await;
        b.click("form[action$='/admin/policy'] button[type=submit]")
            .await;
        assert!(b.exists(".error-summary").await);
        let mut issues = Vec::new();
        for row in b
            .client
            .find_all(Locator::Css("table.issues tbody tr"))
            .await
            .unwrap()
        {
            issues.push(row.text().await.unwrap().replace('\n', " "));
        }
        for (needle, field) in [
            ("time_zone = ", "meta.time_zone"),
            ("currency = ", "meta.currency"),
        ] {
            let line = line_of(&broken, needle).to_string();
            assert!(
                issues
                    .iter()
                    .any(|row| row.starts_with(&format!("{line} {field} "))),
                "{field} at line {line} in {issues:?}"
            );
        }
        look(&b, "admin-policy-errors-kk").await;
        assert_eq!(version(&s).await, "2026-11-24", "nothing changed");

        // The default policy with its version changed: in force.
        let good =
            DEFAULT_POLICY_TOML.replacen("version = \"2026-11-24\"", "version = \"2026-12-02\"", 1);
        choose_file(&b, &file(&dir, "good.toml", &good)).await;
        b.click("form[action$='/admin/policy'] button[type=submit]")
            .await;
        assert_eq!(b.path().await, format!("/{lang}/admin/policy"));
        assert!(b.text(".notice").await.contains("2026-12-02"));
        assert_eq!(version(&s).await, "2026-12-02");
        look(&b, "admin-policy-replaced-kk").await;
        b
    })
    .await;
}

//! The second factor of staff sign-in: a code from an authenticator app (TOTP, RFC 6238:
//! HMAC-SHA1, 6 digits, 30-second steps, the neighbouring step accepted for clock drift), or
//! one of ten single-use recovery codes for a lost phone.
//!
//! Why it is built this way:
//! - **Who needs it** is the account's role and the policy (`[access]
//!   officers_second_factor`): supervisors and administrators always, officers when the
//!   authority says so; hosts never (their systems sign in with API keys).
//! - **A code counts once**: the store keeps the last time step accepted per account and
//!   takes only later ones, so a code seen over a shoulder or in a proxy log is spent.
//! - **Guessing is throttled** by the same budget as passwords (`Limits::login_attempt`,
//!   per account and per client): a wrong code spends it like a wrong password.
//! - **The secret stays on the server** (it cannot be hashed: the server must compute codes);
//!   recovery codes are stored as SHA-256 hashes (50 random bits each, single use, throttled),
//!   and only shown once, when the factor is set up.
//! - The flow is a session **scope** (`tirkeu_store::SessionScope`): after a right password an
//!   account with a factor gets a `code` session that can only finish signing in, and an
//!   account that must have one and has none an `enrol` session that can only set it up.

use jiff::Timestamp;
use qrcode::{EcLevel, QrCode};
use tirkeu_core::policy::Policy;
use tirkeu_store::AccountRole;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::secrets;

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// How many recovery codes an account gets.
pub const RECOVERY_CODES: usize = 10;
/// The issuer an authenticator app shows beside the account name.
pub const ISSUER: &str = "tirkeu";

/// Crockford's base-32 symbols: no I, L, O or U, so a code read aloud or copied by hand is
/// not mistaken.
const SYMBOLS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Whether an account of `role` must sign in with a second factor under `policy`.
pub fn required(role: AccountRole, policy: &Policy) -> bool {
    match role {
        AccountRole::Supervisor | AccountRole::Admin => true,
        AccountRole::Officer => policy.access().officers_second_factor,
        AccountRole::Host => false,
    }
}

/// Whether an account of `role` may set one up at all (hosts sign in with API keys).
pub fn offered(role: AccountRole) -> bool {
    role != AccountRole::Host
}

/// A new secret: 160 random bits (RFC 4226's recommended length), base32 as apps expect.
pub fn new_secret() -> String {
    Secret::Raw(rand::random::<[u8; 20]>().to_vec())
        .to_encoded()
        .to_string()
}

fn totp(secret: &str, username: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    // The account name may not hold a colon in an otpauth URL; usernames never do (they are
    // checked on creation), but a name that did would only lose its QR label.
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS.unsigned_abs(),
        bytes,
        Some(ISSUER.to_owned()),
        username.replace(':', "_"),
    )
    .ok()
}

/// The `otpauth://` URL an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, username: &str) -> Option<String> {
    totp(secret, username).map(|t| t.get_url())
}

/// The QR code of `url` as an SVG `data:` URL for an `<img>` (the pages' CSP allows `data:`
/// images and nothing inline).
pub fn qr_data_url(url: &str) -> Option<String> {
    use base64::Engine;
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Some(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// The secret in groups of four, as a person types it into an app.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The time step of `at`.
pub fn step_of(at: Timestamp) -> i64 {
    at.as_second().div_euclid(STEP_SECONDS)
}

/// The code of `secret` at `at` (what the person's app shows then).
pub fn code_at(secret: &str, at: Timestamp) -> Option<String> {
    let t = u64::try_from(at.as_second()).ok()?;
    totp(secret, "x").map(|totp| totp.generate(t))
}

/// The time step whose code `code` is, within one step of `now`; `None` when it is none of
/// them. Spaces are forgiven (apps show "123 456").
pub fn matching_step(secret: &str, code: &str, now: Timestamp) -> Option<i64> {
    let code = app_code(code)?;
    let totp = totp(secret, "x")?;
    let now_step = step_of(now);
    // Every candidate is computed and compared in constant time, so the answer's timing does
    // not tell which step (if any) matched.
    let mut found = None;
    for step in [now_step - 1, now_step, now_step + 1] {
        let Ok(t) = u64::try_from(step * STEP_SECONDS) else {
            continue;
        };
        if secrets::same(&totp.generate(t), &code) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Whether `code` has the shape of an authenticator code (six digits) rather than a
/// recovery code.
pub fn is_app_code(code: &str) -> bool {
    app_code(code).is_some()
}

/// `code`'s six digits without the spaces apps show ("123 456"), if that is what it is.
fn app_code(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Ten new recovery codes, `XXXXX-XXXXX` (50 random bits each).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw: [u8; 10] = rand::random();
            let s: String = raw
                .iter()
                .map(|b| char::from(SYMBOLS[usize::from(b % 32)]))
                .collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

/// The stored hash of a recovery code as typed: case, spaces, hyphens and Crockford's
/// look-alikes (O for 0, I and L for 1) forgiven.
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    secrets::sha256_hex(&format!("tirkeu-recovery-v1:{normal}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") and its 8-digit values,
    /// of which a 6-digit code is the last six digits.
    #[test]
    fn codes_match_rfc_6238() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        for (t, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            let at = Timestamp::from_second(t).unwrap();
            assert_eq!(code_at(&secret, at).unwrap(), &eight[2..], "t = {t}");
        }
    }

    #[test]
    fn a_code_matches_its_own_step_and_the_neighbours_only() {
        let secret = new_secret();
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&secret, &code, now), Some(step_of(now)));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(&secret, &spaced, now), Some(step_of(now)));
        let later = now + jiff::SignedDuration::from_secs(30);
        assert_eq!(matching_step(&secret, &code, later), Some(step_of(now)));
        let much_later = now + jiff::SignedDuration::from_secs(90);
        assert_eq!(matching_step(&secret, &code, much_later), None);
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
        assert!(is_app_code(&spaced) && !is_app_code("ABCDE-12345"));
    }

    #[test]
    fn recovery_codes_are_forgiving_and_distinct() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let c = &codes[0];
        assert_eq!(c.len(), 11);
        assert_eq!(
            recovery_hash(c),
            recovery_hash(&c.to_lowercase().replace('-', " "))
        );
        assert_eq!(recovery_hash("0O1IL-AAAAA"), recovery_hash("00111AAAAA"));
        let mut hashes: Vec<_> = codes.iter().map(|c| recovery_hash(c)).collect();
        hashes.sort();
        hashes.dedup();
        assert_eq!(hashes.len(), RECOVERY_CODES);
    }

    #[test]
    fn the_url_and_qr_carry_the_secret() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let url = otpauth_url(&secret, "aigerim").unwrap();
        assert!(url.starts_with("otpauth://totp/tirkeu:aigerim?"), "{url}");
        assert!(url.contains(&format!("secret={secret}")), "{url}");
        assert!(
            qr_data_url(&url)
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}

//! Marks the tests that need something from outside as ignored, with the reason, when it is
//! not configured, so a plain `cargo test` says which tests did not run and why:
//! - `tirkeu_pg`: the PostgreSQL half, with `TIRKEU_TEST_POSTGRES_URL`;
//! - `tirkeu_e2e`: the browser tests (tests/e2e/), with `TIRKEU_TEST_CHROMEDRIVER` (Debian's
//!   `chromedriver`) and `TIRKEU_TEST_AXE` (axe-core's `axe.min.js`);
//! - `tirkeu_smtp`: the SMTP conversations (`tests/mail_smtp.rs`), with `TIRKEU_TEST_SMTP_PYTHON`
//!   (a python3 that has `aiosmtpd`);
//! - `tirkeu_s3`: the documents in an S3-compatible store (`tests/documents_s3.rs`), with
//!   `TIRKEU_TEST_S3_PYTHON` (a python3 that has `moto[server]`);
//! - `tirkeu_openapi_validator`: the OpenAPI document checked by `openapi-spec-validator`, with
//!   `TIRKEU_TEST_OPENAPI_PYTHON` (a python3 that has it).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(tirkeu_pg)");
    println!("cargo::rustc-check-cfg=cfg(tirkeu_e2e)");
    println!("cargo::rustc-check-cfg=cfg(tirkeu_smtp)");
    println!("cargo::rustc-check-cfg=cfg(tirkeu_openapi_validator)");
    println!("cargo::rustc-check-cfg=cfg(tirkeu_s3)");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_S3_PYTHON");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_OPENAPI_PYTHON");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_CHROMEDRIVER");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_AXE");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_SMTP_PYTHON");
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("TIRKEU_TEST_POSTGRES_URL") {
        println!("cargo::rustc-cfg=tirkeu_pg");
    }
    if set("TIRKEU_TEST_CHROMEDRIVER") && set("TIRKEU_TEST_AXE") {
        println!("cargo::rustc-cfg=tirkeu_e2e");
    }
    if set("TIRKEU_TEST_SMTP_PYTHON") {
        println!("cargo::rustc-cfg=tirkeu_smtp");
    }
    if set("TIRKEU_TEST_S3_PYTHON") {
        println!("cargo::rustc-cfg=tirkeu_s3");
    }
    if set("TIRKEU_TEST_OPENAPI_PYTHON") {
        println!("cargo::rustc-cfg=tirkeu_openapi_validator");
    }
}

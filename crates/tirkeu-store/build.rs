//! Marks the PostgreSQL tests as ignored, with the reason, when no test database is
//! configured, so a plain `cargo test` says which tests did not run and why.
//!
//! Also makes a new or changed migration rebuild the crate: `sqlx::migrate!` embeds the files,
//! but cargo does not see them as sources.
fn main() {
    println!("cargo::rerun-if-changed=migrations");
    println!("cargo::rustc-check-cfg=cfg(tirkeu_pg)");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_POSTGRES_URL");
    if std::env::var_os("TIRKEU_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=tirkeu_pg");
    }
}

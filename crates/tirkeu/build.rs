//! Marks the tests that need something from outside as ignored, with the reason, when it is
//! not configured, so a plain `cargo test` says which tests did not run and why:
//! - `tirkeu_pg`: the PostgreSQL tests, with `TIRKEU_TEST_POSTGRES_URL`;
//! - `tirkeu_s3`: the documents in an S3-compatible store (`tests/documents_s3.rs`), with
//!   `TIRKEU_TEST_S3_PYTHON` (a python3 that has `moto[server]`);
//! - `tirkeu_haproxy`: two instances behind a load balancer (`tests/multi_instance.rs`), with
//!   `TIRKEU_TEST_HAPROXY` (the path of Debian's haproxy), PostgreSQL and the S3 server too.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(tirkeu_pg)");
    println!("cargo::rustc-check-cfg=cfg(tirkeu_s3)");
    println!("cargo::rustc-check-cfg=cfg(tirkeu_haproxy)");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_S3_PYTHON");
    println!("cargo::rerun-if-env-changed=TIRKEU_TEST_HAPROXY");
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("TIRKEU_TEST_POSTGRES_URL") {
        println!("cargo::rustc-cfg=tirkeu_pg");
    }
    if set("TIRKEU_TEST_S3_PYTHON") {
        println!("cargo::rustc-cfg=tirkeu_s3");
    }
    if set("TIRKEU_TEST_HAPROXY") {
        println!("cargo::rustc-cfg=tirkeu_haproxy");
    }
}

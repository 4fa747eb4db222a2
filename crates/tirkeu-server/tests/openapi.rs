//! The OpenAPI document is pinned: a change to the API shows up as a snapshot diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test -p tirkeu-server --test openapi`).

#[test]
fn openapi_document_is_pinned() {
    let doc: serde_json::Value = serde_json::from_str(&tirkeu_server::openapi_json()).unwrap();
    // Every operation is documented with at least one response, and every error is a problem.
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 25, "{} paths", paths.len());
    insta::assert_json_snapshot!("openapi", doc);
}

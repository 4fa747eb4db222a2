//! The receipt as a caller sees it: a PDF per language with the font embedded, and a safe,
//! self-contained HTML page.

use tirkeu_core::text::Lang;
use tirkeu_server::receipt::{ReceiptData, ReceiptError, qr_svg, receipt_html, receipt_pdf};

const ALL: [Lang; 4] = [Lang::Kk, Lang::Ru, Lang::En, Lang::Zh];

fn sample(lang: Lang) -> ReceiptData {
    ReceiptData {
        lang,
        number: "7K2M-Q9XD-4HRT-1BWF".into(),
        access_code: Some("HX4P-92KD-TQ7M".into()),
        applicant_name: "Әлия Құрманғазықызы <script>alert(1)</script> 王小明".into(),
        permit_type_name: "Жұмыс рұқсаты".into(),
        submitted_on: "2026-11-24".into(),
        documents: vec![
            "Паспорт".into(),
            "护照复印件".into(),
            "Health certificate".into(),
        ],
        next_steps: vec!["Check the status & wait for a notice.".into()],
        processing_days: 21,
        office: "Алматы қ.".into(),
        status_url: tirkeu_server::paths::status_page_url(
            "https://tirkeu.example.kz",
            lang,
            "7K2MQ9XD4HRT1BWF",
        ),
        generated_at: "2026-11-24 17:58".into(),
    }
}

/// The embedded font program of the (single) font in the PDF.
fn font_file(doc: &lopdf::Document) -> Vec<u8> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find_map(|d| d.get(b"FontFile2").ok()?.as_reference().ok())
        .and_then(|id| doc.get_object(id).ok()?.as_stream().ok().cloned())
        .map(|mut s| {
            let _ = s.decompress();
            s.content
        })
        .expect("an embedded TrueType font")
}

#[test]
fn a_pdf_with_the_font_embedded_for_every_language() {
    for lang in ALL {
        let pdf = receipt_pdf(&sample(lang)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{lang:?}");
        let doc = lopdf::Document::load_mem(&pdf).expect("lopdf parses the receipt");
        assert_eq!(doc.get_pages().len(), 1, "{lang:?}");
        // Embedded, and subset to the glyphs used (the whole face is ~5 MB).
        let font = font_file(&doc);
        assert!(
            (1_000..400_000).contains(&font.len()),
            "{lang:?}: {}",
            font.len()
        );
        // No standard-14 fallback font that could not show Kazakh or Chinese.
        assert!(!pdf.windows(9).any(|w| w == b"Helvetica"), "{lang:?}");
    }
}

#[test]
fn a_long_list_flows_onto_more_pages() {
    let mut d = sample(Lang::Ru);
    d.documents = (1..=60).map(|i| format!("Документ {i}")).collect();
    let doc = lopdf::Document::load_mem(&receipt_pdf(&d).unwrap()).unwrap();
    assert!(doc.get_pages().len() >= 2);
}

#[test]
fn a_url_too_long_for_a_qr_code_is_an_error() {
    let mut d = sample(Lang::En);
    d.status_url = format!("https://h/status?number={}", "X".repeat(5000));
    assert_eq!(receipt_pdf(&d), Err(ReceiptError::QrTooLong));
    assert_eq!(qr_svg(&d.status_url), "");
}

#[test]
fn html_is_escaped_and_complete() {
    let d = sample(Lang::Kk);
    let html = receipt_html(&d);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"kk\">"));
    assert!(!html.contains("<script"), "caller text must be escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Check the status &amp; wait"));
    assert!(html.contains("7K2M-Q9XD-4HRT-1BWF"));
    assert!(html.contains("<svg"));
    assert!(html.contains("@media print"));
    assert!(html.contains("HX4P-92KD-TQ7M"));
    assert!(html.contains("Өтініштің қабылданғаны туралы хабарлама"));
    assert!(html.contains("шамамен 21 жұмыс күні"));
    // Self-contained: nothing is fetched from elsewhere.
    assert!(!html.contains("<link") && !html.contains("src="));
}

#[test]
fn html_lang_follows_the_language() {
    for (lang, attr, title) in [
        (Lang::Ru, "ru", "Уведомление о приёме заявления"),
        (Lang::En, "en", "Acknowledgement of application"),
        (Lang::Zh, "zh-Hans", "申请受理回执"),
    ] {
        let html = receipt_html(&sample(lang));
        assert!(
            html.contains(&format!("<html lang=\"{attr}\">")),
            "{lang:?}"
        );
        assert!(html.contains(title), "{lang:?}");
    }
}

#[test]
fn every_copy_prints_the_code_presented_and_says_it_cannot_be_shown_again() {
    let mut d = sample(Lang::En);
    d.access_code = Some(" hx4p92kd-tq7m ".into());
    let html = receipt_html(&d);
    assert!(
        html.contains("HX4P-92KD-TQ7M"),
        "grouped, however it was typed"
    );
    assert!(html.contains("cannot show it to you again"));
    assert!(!html.contains("only once"));
}

#[test]
fn a_receipt_rendered_without_the_code_says_so() {
    let mut d = sample(Lang::En);
    d.access_code = None;
    let html = receipt_html(&d);
    assert!(!html.contains("HX4P-92KD-TQ7M"));
    assert!(html.contains("This copy does not show the access code"));
    let pdf = receipt_pdf(&d).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn qr_svg_is_a_scalable_square() {
    let svg = qr_svg("https://tirkeu.example.kz/status?number=7K2MQ9XD4HRT1BWF");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains("<path"));
    assert!(
        !svg.contains("<?xml"),
        "inline SVG needs no XML declaration"
    );
}

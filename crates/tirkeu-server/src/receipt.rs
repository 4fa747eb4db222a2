//! The application receipt (acknowledgement notice): a one-page A4 PDF and a printable HTML
//! page, in Kazakh, Russian, English and Chinese, with a QR code that opens the status page.
//!
//! Why it is built this way:
//! - **Font**: PDF text needs an embedded font that has Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і) *and*
//!   Chinese in one face. `WenQuanYi Micro Hei` (Apache-2.0, from Debian `fonts-wqy-microhei`
//!   0.2.0-beta) does; it is vendored unmodified in `assets/fonts/` and compiled in with
//!   `include_bytes!`, so a fresh machine needs nothing installed. printpdf reads the `.ttc`
//!   collection directly (face 0) and embeds only the glyphs used (a receipt is ~20–60 KB).
//! - **Layout** is done here, not by printpdf's HTML engine: lines are measured with the font's
//!   advance widths and wrapped at spaces, or between any two Chinese characters. There is one
//!   face (no bold), so hierarchy comes from size and colour.
//! - **QR** is drawn as vector rectangles in the PDF (crisp at any zoom, no image codec) and as
//!   one SVG `<path>` in the HTML; the URL is also printed for those who cannot scan.
//! - **Privacy**: the QR holds only the status URL given by the caller (the application number
//!   is not personal data); the passport number never appears. The access code is printed as
//!   the caller passes it: the receipt endpoints serve only someone who presents the code, and
//!   print that code, so every copy, reprints included, carries it — the paper is as secret as
//!   the code, and the text on it says so. tirkeu stores only a hash of the code and could not
//!   print it otherwise; a receipt rendered without it says where the code came from.
//! - **Texts** come from `locales/*/receipt.ftl` (plurals and page numbers through Fluent).
//! - **Fit**: the number and the access code shrink (down to a floor) to stay on one line of
//!   their column; the code's box is as tall as its wrapped lines. `lay_out` records where each
//!   line went, and a test checks no line leaves its column or the box in any language.
//! - The HTML page needs no JavaScript and no external resources; everything from the caller
//!   is escaped.
//! - **Cost**: parsing the 5 MB font dominates: ~50 ms per PDF in a release build (~0.4 s in a
//!   debug build). It is parsed per call because printpdf's `ParsedFont` holds `Rc`s (not
//!   `Send`), so it cannot be shared between threads; call `receipt_pdf` from
//!   `tokio::task::spawn_blocking`.

use std::fmt::{self, Write as _};

use printpdf::{
    Color, FontId, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem,
    WindingOrder,
};
use qrcode::{Color as QrColor, EcLevel, QrCode};

use tirkeu_core::text::Lang;

use crate::i18n;

/// `WenQuanYi Micro Hei` 0.2.0-beta (Debian `fonts-wqy-microhei`), Apache-2.0; see
/// `assets/fonts/wqy-microhei.COPYRIGHT`.
const FONT_BYTES: &[u8] = include_bytes!("../assets/fonts/wqy-microhei.ttc");
/// Face 0 of the collection is the proportional `WenQuanYi Micro Hei` (1 is the Mono face).
const FONT_FACE: usize = 0;

/// Everything printed on a receipt; texts arrive already localised and formatted.
#[derive(Clone, Debug)]
pub struct ReceiptData {
    pub lang: Lang,
    /// The application number, already grouped (`7K2M-Q9XD-4HRT-1BWF`).
    pub number: String,
    /// The access code as the applicant presented it to get this receipt (printed grouped in
    /// fours, on every copy). `None` only when a caller renders a receipt without it; the
    /// receipt then says the code is not on this copy.
    pub access_code: Option<String>,
    pub applicant_name: String,
    pub permit_type_name: String,
    /// The submission date, already formatted in Asia/Almaty local time.
    pub submitted_on: String,
    /// Names of the submitted documents, in `lang`.
    pub documents: Vec<String>,
    /// Next steps, in `lang`.
    pub next_steps: Vec<String>,
    pub processing_days: u32,
    pub office: String,
    /// The public status page URL encoded in the QR code (no personal data), from
    /// [`crate::paths::status_page_url`].
    pub status_url: String,
    /// When this receipt was produced, already formatted.
    pub generated_at: String,
}

/// Why a receipt PDF could not be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptError {
    /// The embedded font could not be read (a broken build, not bad input).
    Font,
    /// The status URL does not fit in a QR code (longer than about 2 KB).
    QrTooLong,
    /// printpdf reported an error while writing the document.
    Pdf(String),
}

impl fmt::Display for ReceiptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptError::Font => f.write_str("the embedded receipt font could not be read"),
            ReceiptError::QrTooLong => f.write_str("the status URL is too long for a QR code"),
            ReceiptError::Pdf(msg) => write!(f, "the receipt PDF could not be written: {msg}"),
        }
    }
}

impl std::error::Error for ReceiptError {}

// ---------------------------------------------------------------------------------------------
// Fixed texts
// ---------------------------------------------------------------------------------------------

/// The fixed texts of the receipt in one language, from `locales/*/receipt.ftl`.
struct Labels {
    lang: Lang,
    title: String,
    number: String,
    access_code: String,
    keep_secret: String,
    code_not_shown: String,
    applicant: String,
    permit_type: String,
    submitted_on: String,
    office: String,
    processing_time: String,
    documents: String,
    next_steps: String,
    scan_qr: String,
    print_hint: String,
}

impl Labels {
    fn new(lang: Lang) -> Self {
        let t = |id: &str| i18n::text(lang, id);
        Labels {
            lang,
            title: t("receipt-title"),
            number: t("receipt-number"),
            access_code: t("receipt-access-code"),
            keep_secret: t("receipt-keep-secret"),
            code_not_shown: t("receipt-code-not-shown"),
            applicant: t("receipt-applicant"),
            permit_type: t("receipt-permit-type"),
            submitted_on: t("receipt-submitted-on"),
            office: t("receipt-office"),
            processing_time: t("receipt-processing-time"),
            documents: t("receipt-documents"),
            next_steps: t("receipt-next-steps"),
            scan_qr: t("receipt-scan-qr"),
            print_hint: t("receipt-print-hint"),
        }
    }

    /// The `lang` attribute of the HTML page (the Chinese texts are in simplified script).
    fn html_lang(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "zh-Hans",
            lang => lang.code(),
        }
    }

    /// "About N working days", with the plural the language needs.
    fn processing_days(&self, days: u32) -> String {
        i18n::text_with(
            self.lang,
            "receipt-processing-time-value",
            &[("days", days.to_string())],
        )
    }

    /// "Page i of n".
    fn page(&self, page: usize, pages: usize) -> String {
        i18n::text_with(
            self.lang,
            "receipt-page",
            &[("page", page.to_string()), ("pages", pages.to_string())],
        )
    }

    fn footer(&self, generated_at: &str) -> String {
        i18n::text_with(
            self.lang,
            "receipt-footer",
            &[("generated", generated_at.to_owned())],
        )
    }
}

/// The label/value rows of the receipt, in print order.
fn detail_rows<'l>(d: &ReceiptData, l: &'l Labels) -> [(&'l str, String); 5] {
    [
        (&l.applicant, d.applicant_name.clone()),
        (&l.permit_type, d.permit_type_name.clone()),
        (&l.submitted_on, d.submitted_on.clone()),
        (&l.office, d.office.clone()),
        (&l.processing_time, l.processing_days(d.processing_days)),
    ]
}

/// The access code grouped in fours (`HX4P-92KD-…`), however the applicant typed it: it is
/// printed as presented, and the check ignores case, spaces and hyphens.
fn grouped_code(code: &str) -> String {
    let symbols: Vec<char> = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    symbols
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

// ---------------------------------------------------------------------------------------------
// QR code
// ---------------------------------------------------------------------------------------------

/// Modules of white border around the code, as the QR standard asks.
const QR_QUIET: usize = 4;

/// A QR code as horizontal runs of dark modules.
struct QrModules {
    /// Modules per side, without the quiet zone.
    width: usize,
    /// `(row, first column, length)` of each run of dark modules.
    runs: Vec<(usize, usize, usize)>,
}

/// The QR code for `url`; `None` if the URL does not fit in a QR code.
fn qr_runs(url: &str) -> Option<QrModules> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for (row, line) in colors.chunks(width).enumerate() {
        let mut col = 0;
        while col < width {
            if line[col] == QrColor::Dark {
                let start = col;
                while col < width && line[col] == QrColor::Dark {
                    col += 1;
                }
                runs.push((row, start, col - start));
            } else {
                col += 1;
            }
        }
    }
    Some(QrModules { width, runs })
}

/// The QR code of `url` as a self-contained SVG element (quiet zone included, scales with its
/// container). Returns an empty string if the URL is too long for a QR code (about 2 KB).
pub fn qr_svg(url: &str) -> String {
    let Some(QrModules { width, runs }) = qr_runs(url) else {
        return String::new();
    };
    let size = width + 2 * QR_QUIET;
    let mut path = String::with_capacity(runs.len() * 12);
    for (row, col, len) in runs {
        let _ = write!(
            path,
            "M{} {}h{len}v1h-{len}z",
            col + QR_QUIET,
            row + QR_QUIET
        );
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

/// Escapes text for HTML element content and quoted attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = "\
*{box-sizing:border-box}\
body{margin:0;background:#eee;color:#111;font:16px/1.45 system-ui,-apple-system,'Segoe UI',\
Roboto,'Noto Sans','DejaVu Sans',Arial,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',\
'WenQuanYi Micro Hei',sans-serif}\
main{max-width:210mm;margin:1.5rem auto;background:#fff;padding:15mm 18mm;\
box-shadow:0 1px 4px rgba(0,0,0,.2)}\
h1{font-size:1.6rem;margin:0 0 1rem;padding-bottom:.5rem;border-bottom:2px solid #1f4e79}\
h2{font-size:1.1rem;margin:1.4rem 0 .4rem;color:#1f4e79}\
.top{display:flex;justify-content:space-between;align-items:flex-start}\
.label{color:#555;font-size:.85rem;margin:0}\
.number{font-size:2rem;font-weight:700;letter-spacing:.06em;margin:0 0 1rem;\
font-variant-numeric:tabular-nums;white-space:nowrap}\
.code{border:1.5px solid #1f4e79;background:#f3f6fa;padding:.6rem .9rem;margin:0 0 1rem}\
.code .value{font:700 1.5rem/1.3 ui-monospace,'DejaVu Sans Mono',monospace;letter-spacing:.08em;\
margin:.1rem 0 .3rem}\
.code .warn{margin:0;font-size:.9rem}\
.nocode{color:#555;font-size:.9rem}\
figure{margin:0 0 0 1.5rem;width:42mm;flex:none;text-align:center}\
figure svg{width:42mm;height:42mm;display:block}\
figcaption{font-size:.8rem;color:#333}\
.url{font-size:.7rem;color:#555;word-break:break-all}\
table{border-collapse:collapse;margin:.5rem 0 0}\
th{color:#555;font-weight:normal;text-align:left;vertical-align:top;padding:.15rem 1.2rem .15rem 0}\
td{padding:.15rem 0;vertical-align:top}\
ul,ol{margin:.2rem 0;padding-left:1.5rem}\
footer{margin-top:2rem;padding-top:.4rem;border-top:1px solid #ccc;color:#555;font-size:.8rem}\
.hint{text-align:center;color:#555;font-size:.85rem}\
@page{size:A4;margin:15mm}\
@media print{body{background:#fff}main{margin:0;padding:0;box-shadow:none;max-width:none}\
.hint{display:none}h2{break-after:avoid}.top,.code,li{break-inside:avoid}}";

/// The `Content-Security-Policy` of the receipt page: nothing may load or run but its one
/// inline style sheet, named by its hash (the QR code is inline SVG with presentation
/// attributes, which need no allowance); no framing, no forms, no base URL.
pub fn receipt_csp() -> &'static str {
    static CSP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use base64::Engine as _;
        use sha2::{Digest, Sha256};
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(CSS));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' data:; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )
    });
    &CSP
}

/// The receipt as a self-contained printable HTML page (no scripts, no external resources).
pub fn receipt_html(d: &ReceiptData) -> String {
    let l = &Labels::new(d.lang);
    let mut h = String::with_capacity(16 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <title>{title} {number}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <p class=\"hint\">{hint}</p>\n<main>\n<h1>{title}</h1>\n<div class=\"top\">\n<div>\n\
         <p class=\"label\">{number_label}</p>\n<p class=\"number\">{number}</p>\n",
        lang = l.html_lang(),
        title = esc(&l.title),
        number = esc(&d.number),
        hint = esc(&l.print_hint),
        number_label = esc(&l.number),
    );
    match &d.access_code {
        Some(code) => {
            let _ = write!(
                h,
                "<div class=\"code\">\n<p class=\"label\">{}</p>\n<p class=\"value\">{}</p>\n\
                 <p class=\"warn\">{}</p>\n</div>\n",
                esc(&l.access_code),
                esc(&grouped_code(code)),
                esc(&l.keep_secret)
            );
        }
        None => {
            let _ = writeln!(h, "<p class=\"nocode\">{}</p>", esc(&l.code_not_shown));
        }
    }
    h.push_str("</div>\n<figure>\n");
    h.push_str(&qr_svg(&d.status_url));
    let _ = write!(
        h,
        "\n<figcaption>{}<br><a class=\"url\" href=\"{url}\">{url}</a></figcaption>\n\
         </figure>\n</div>\n<table>\n",
        esc(&l.scan_qr),
        url = esc(&d.status_url),
    );
    for (label, value) in detail_rows(d, l) {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(label),
            esc(&value)
        );
    }
    h.push_str("</table>\n");
    if !d.documents.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>\n<ul>", esc(&l.documents));
        for doc in &d.documents {
            let _ = writeln!(h, "<li>{}</li>", esc(doc));
        }
        h.push_str("</ul>\n");
    }
    if !d.next_steps.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>\n<ol>", esc(&l.next_steps));
        for step in &d.next_steps {
            let _ = writeln!(h, "<li>{}</li>", esc(step));
        }
        h.push_str("</ol>\n");
    }
    let _ = write!(
        h,
        "<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        esc(&l.footer(&d.generated_at))
    );
    h
}

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

const PAGE_W: f32 = 595.28; // A4 in points
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 51.0; // 18 mm
const MARGIN_TOP: f32 = 48.0;
const FOOTER_Y: f32 = 34.0; // baseline of the footer line
const BODY_BOTTOM: f32 = 62.0; // body text never goes below this
const QR_SIZE: f32 = 119.0; // 42 mm, quiet zone included
const LABEL_COL: f32 = 150.0; // width of the label column of the detail rows

const BLACK: (f32, f32, f32) = (0.07, 0.07, 0.07);
const GREY: (f32, f32, f32) = (0.36, 0.36, 0.36);
const ACCENT: (f32, f32, f32) = (0.12, 0.31, 0.47);
const TINT: (f32, f32, f32) = (0.95, 0.965, 0.98);

fn color((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

/// A filled (and optionally outlined) axis-aligned rectangle; `y` is the bottom edge.
fn rect(left: f32, bottom: f32, width: f32, height: f32, mode: PaintMode) -> Op {
    let corner = |x: f32, y: f32| LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    };
    let (right, top) = (left + width, bottom + height);
    Op::DrawPolygon {
        polygon: Polygon {
            rings: vec![PolygonRing {
                points: vec![
                    corner(left, bottom),
                    corner(right, bottom),
                    corner(right, top),
                    corner(left, top),
                ],
            }],
            mode,
            winding_order: WindingOrder::NonZero,
        },
    }
}

/// The parsed font plus what is needed to measure text with it.
struct Face {
    parsed: ParsedFont,
    id: FontId,
    units_per_em: f32,
}

/// The embedded font, parsed.
fn parse_font() -> Result<ParsedFont, ReceiptError> {
    ParsedFont::from_bytes(FONT_BYTES, FONT_FACE, &mut Vec::new()).ok_or(ReceiptError::Font)
}

impl Face {
    fn new(parsed: ParsedFont, id: FontId) -> Self {
        let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
        Face {
            parsed,
            id,
            units_per_em,
        }
    }

    /// The largest size from `max` down to `min` at which `text` fits `width` on one line
    /// (`min` if it fits at none; it then wraps).
    fn fit(&self, text: &str, max: f32, min: f32, width: f32) -> f32 {
        let at_one = self.width(text, 1.0);
        if at_one * max <= width {
            return max;
        }
        // Width grows linearly with size; stay a hair under so rounding cannot wrap it.
        (width / at_one * 0.999).clamp(min, max)
    }

    /// The advance width of `c` in ems, read from the `hmtx` table (printpdf's own
    /// `get_horizontal_advance` answers 0 for glyphs without an outline, such as the space).
    fn advance(&self, c: char) -> f32 {
        let gid = usize::from(self.parsed.lookup_glyph_index(u32::from(c)).unwrap_or(0));
        let hmtx = &self.parsed.hmtx_data;
        let metrics = self
            .parsed
            .hhea_table
            .as_ref()
            .map_or(0, |h| usize::from(h.num_h_metrics));
        // Glyphs past the last long metric share its advance.
        let i = 4 * gid.min(metrics.saturating_sub(1));
        hmtx.get(i..i + 2).map_or(0.0, |b| {
            f32::from(u16::from_be_bytes([b[0], b[1]])) / self.units_per_em
        })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// Splits `text` into lines no wider than `max` points at `size`: at spaces, or between
    /// two CJK characters (never before closing CJK punctuation); a word longer than a line
    /// is cut where it must be.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for token in tokens(para) {
                let token_w = self.width(token, size);
                if line_w + self.width(token.trim_end(), size) <= max || line.is_empty() {
                    line.push_str(token);
                    line_w += token_w;
                } else {
                    lines.push(line.trim_end().to_owned());
                    line.clear();
                    line.push_str(token.trim_start());
                    line_w = self.width(&line, size);
                }
                // A single token wider than the line: cut it by characters.
                while self.width(line.trim_end(), size) > max && line.chars().count() > 1 {
                    let mut head = String::new();
                    let mut w = 0.0;
                    for c in line.chars() {
                        let cw = self.advance(c) * size;
                        if w + cw > max && !head.is_empty() {
                            break;
                        }
                        head.push(c);
                        w += cw;
                    }
                    line = line[head.len()..].to_owned();
                    lines.push(head);
                    line_w = self.width(&line, size);
                }
            }
            lines.push(line.trim_end().to_owned());
        }
        lines
    }
}

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c), 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// CJK punctuation that must not start a line.
fn is_cjk_closing(c: char) -> bool {
    "，。、；：！？）》」』】〉”’·…".contains(c)
}

/// Breakable pieces of a paragraph: a word with its trailing spaces, or one CJK character
/// with any closing punctuation after it.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        i += 1;
        if is_cjk(c) {
            while i < chars.len() && is_cjk_closing(chars[i].1) {
                i += 1;
            }
            while i < chars.len() && chars[i].1 == ' ' {
                i += 1;
            }
        } else if c == ' ' {
            while i < chars.len() && chars[i].1 == ' ' {
                i += 1;
            }
        } else {
            // A non-CJK word ends at a space (kept with it), before a CJK character, or after
            // a hyphen or a URL separator (so a grouped code wraps between its groups and a
            // long status URL at `/`, `?`, `&` or `=`).
            if i < chars.len()
                && !is_cjk(chars[i].1)
                && chars[i].1 != ' '
                && !matches!(c, '/' | '?' | '&' | '=' | '-')
            {
                continue;
            }
            while i < chars.len() && chars[i].1 == ' ' {
                i += 1;
            }
        }
        let end = chars.get(i).map_or(s.len(), |&(pos, _)| pos);
        out.push(&s[start..end]);
        start = end;
    }
    out
}

/// Line height as a multiple of the font size.
const LEAD: f32 = 1.35;
/// The application number: this size if it fits the column on one line, else smaller.
const NUMBER_SIZE: f32 = 26.0;
const NUMBER_MIN_SIZE: f32 = 18.0;
/// The access code likewise; 12 pt still reads well, and a code wider than that wraps.
const CODE_SIZE: f32 = 20.0;
const CODE_MIN_SIZE: f32 = 12.0;
/// The running head on later pages.
const HEAD_SIZE: f32 = 9.0;
const HEAD_MIN_SIZE: f32 = 6.0;

/// A column text is laid out in: its left edge and width.
#[derive(Clone, Copy, Debug)]
struct Col {
    left: f32,
    width: f32,
}

impl Col {
    fn right(self) -> f32 {
        self.left + self.width
    }
}

/// Where one line of text was placed; kept so tests can check the layout (a few dozen
/// entries per receipt; only tests read them).
#[derive(Clone, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
struct Placed {
    page: usize,
    text: String,
    x: f32,
    baseline: f32,
    size: f32,
    /// The measured advance width of the line.
    width: f32,
    /// The column the line was laid out in.
    col: Col,
    /// The framed box (an index into `Layout::boxes`) the line belongs in, if any.
    in_box: Option<usize>,
}

/// The inside of a framed box on a page (within its border).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
struct Frame {
    page: usize,
    left: f32,
    bottom: f32,
    right: f32,
    top: f32,
}

/// The laid-out receipt: drawing operations per page, and where the text went.
struct Layout {
    pages: Vec<Vec<Op>>,
    #[cfg_attr(not(test), allow(dead_code))]
    placed: Vec<Placed>,
    #[cfg_attr(not(test), allow(dead_code))]
    boxes: Vec<Frame>,
}

/// Collects drawing operations page by page, moving a cursor down the page.
struct Writer<'f> {
    face: &'f Face,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The index of the current page.
    page: usize,
    /// The top of the free space on the current page.
    y: f32,
    /// Printed at the top of every page after the first, so a loose page still names the case.
    running_head: String,
    placed: Vec<Placed>,
    boxes: Vec<Frame>,
    /// The box the text being drawn belongs in.
    in_box: Option<usize>,
}

impl<'f> Writer<'f> {
    fn new(face: &'f Face, running_head: String) -> Self {
        Writer {
            face,
            pages: Vec::new(),
            ops: Vec::new(),
            page: 0,
            y: PAGE_H - MARGIN_TOP,
            running_head,
            placed: Vec::new(),
            boxes: Vec::new(),
            in_box: None,
        }
    }

    /// Starts a new page if less than `h` points are left on this one.
    fn need(&mut self, h: f32) {
        if self.y - h < BODY_BOTTOM {
            self.pages.push(std::mem::take(&mut self.ops));
            self.page += 1;
            self.y = PAGE_H - MARGIN_TOP;
            let head = std::mem::take(&mut self.running_head);
            let col = Col {
                left: MARGIN_X,
                width: PAGE_W - 2.0 * MARGIN_X,
            };
            let size = self.face.fit(&head, HEAD_SIZE, HEAD_MIN_SIZE, col.width);
            let line = self.face.wrap(&head, size, col.width).swap_remove(0);
            self.text_at(col, col.left, self.y - HEAD_SIZE, &line, size, GREY);
            self.running_head = head;
            self.y -= 24.0;
        }
    }

    /// One line of text laid out in `col`, with its baseline at (`x`, `baseline`).
    fn text_at(
        &mut self,
        col: Col,
        x: f32,
        baseline: f32,
        text: &str,
        size: f32,
        rgb: (f32, f32, f32),
    ) {
        self.placed.push(Placed {
            page: self.page,
            text: text.to_owned(),
            x,
            baseline,
            size,
            width: self.face.width(text, size),
            col,
            in_box: self.in_box,
        });
        let font = self.face.id.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: color(rgb) },
            Op::SetFontSize {
                size: Pt(size),
                font: font.clone(),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            },
            Op::WriteText {
                items: vec![TextItem::Text(text.to_owned())],
                font,
            },
            Op::EndTextSection,
        ]);
    }

    /// The height of `text` wrapped to `width` at `size`, as `para` lays it out.
    fn para_height(&self, text: &str, size: f32, width: f32) -> f32 {
        #[allow(clippy::cast_precision_loss)] // a handful of lines
        let lines = self.face.wrap(text, size, width).len() as f32;
        lines * size * LEAD
    }

    /// A paragraph wrapped to `col`, starting at the cursor; moves the cursor below it.
    fn para(&mut self, col: Col, text: &str, size: f32, rgb: (f32, f32, f32)) {
        let lead = size * LEAD;
        for line in self.face.wrap(text, size, col.width) {
            self.need(lead);
            let baseline = self.y - size;
            self.text_at(col, col.left, baseline, &line, size, rgb);
            self.y -= lead;
        }
    }

    /// A wrapped list item with a marker (bullet or number) in a hanging indent.
    fn item(&mut self, marker: &str, text: &str, size: f32) {
        let indent = 18.0;
        let lead = size * LEAD;
        let marker_col = Col {
            left: MARGIN_X + 4.0,
            width: indent - 4.0,
        };
        let col = Col {
            left: MARGIN_X + indent,
            width: PAGE_W - 2.0 * MARGIN_X - indent,
        };
        for (i, line) in self.face.wrap(text, size, col.width).iter().enumerate() {
            self.need(lead);
            let baseline = self.y - size;
            if i == 0 {
                self.text_at(marker_col, marker_col.left, baseline, marker, size, ACCENT);
            }
            self.text_at(col, col.left, baseline, line, size, BLACK);
            self.y -= lead;
        }
        self.y -= 2.0;
    }

    fn heading(&mut self, text: &str) {
        // Keep a heading together with at least two lines of what follows.
        self.need(14.0 * LEAD + 10.0 + 2.0 * 11.0 * LEAD);
        self.y -= 10.0;
        let col = Col {
            left: MARGIN_X,
            width: PAGE_W - 2.0 * MARGIN_X,
        };
        self.para(col, text, 14.0, ACCENT);
        self.y -= 2.0;
    }

    /// Adds the footer (and page numbers if there is more than one page) to every page.
    fn finish(mut self, footer: &str, l: &Labels) -> Layout {
        self.pages.push(std::mem::take(&mut self.ops));
        let n = self.pages.len();
        let face = self.face;
        let mut pages = std::mem::take(&mut self.pages);
        for (i, ops) in pages.iter_mut().enumerate() {
            self.page = i;
            self.ops.push(Op::SetOutlineColor {
                col: color((0.75, 0.75, 0.75)),
            });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
            self.ops.push(rect(
                MARGIN_X,
                FOOTER_Y + 11.0,
                PAGE_W - 2.0 * MARGIN_X,
                0.0,
                PaintMode::Stroke,
            ));
            let mut col = Col {
                left: MARGIN_X,
                width: PAGE_W - 2.0 * MARGIN_X,
            };
            if n > 1 {
                let page = l.page(i + 1, n);
                let page_w = face.width(&page, 8.0);
                let page_col = Col {
                    left: col.right() - page_w,
                    width: page_w,
                };
                self.text_at(page_col, page_col.left, FOOTER_Y, &page, 8.0, GREY);
                col.width -= page_w + 12.0;
            }
            let line = face.wrap(footer, 8.0, col.width).swap_remove(0);
            self.text_at(col, col.left, FOOTER_Y, &line, 8.0, GREY);
            ops.append(&mut self.ops);
        }
        Layout {
            pages,
            placed: self.placed,
            boxes: self.boxes,
        }
    }
}

/// Draws the QR code (vector modules) at the top right with its caption and URL under it;
/// returns the lowest point drawn.
fn draw_qr(w: &mut Writer<'_>, qr: &QrModules, top: f32, caption: &str, url: &str) -> f32 {
    let face = w.face;
    let col = Col {
        left: PAGE_W - MARGIN_X - QR_SIZE,
        width: QR_SIZE,
    };
    #[allow(clippy::cast_precision_loss)] // a QR code is at most 177 modules wide
    let module = QR_SIZE / (qr.width + 2 * QR_QUIET) as f32;
    w.ops.push(Op::SetFillColor { col: color(BLACK) });
    for &(row, c, len) in &qr.runs {
        #[allow(clippy::cast_precision_loss)]
        let (row, c, len, quiet) = (row as f32, c as f32, len as f32, QR_QUIET as f32);
        w.ops.push(rect(
            col.left + (c + quiet) * module,
            top - (row + quiet + 1.0) * module,
            len * module,
            module,
            PaintMode::Fill,
        ));
    }
    w.y = top - QR_SIZE - 2.0;
    // Caption and the URL itself (for those who cannot scan), centred under the code.
    for (text, size, rgb) in [(caption, 8.0, BLACK), (url, 6.5, GREY)] {
        for line in face.wrap(text, size, col.width) {
            let x = col.left + (col.width - face.width(&line, size)) / 2.0;
            w.text_at(col, x, w.y - size, &line, size, rgb);
            w.y -= size * 1.3;
        }
        w.y -= 1.0;
    }
    w.y
}

/// The application number, then the access code in a box (or the note that it is not shown).
///
/// The number and the code are sized to fit the column on one line (down to a floor), and
/// the box is as tall as the wrapped label, code and warning really are, so no text crosses
/// its border whatever the language.
fn draw_number_and_code(w: &mut Writer<'_>, d: &ReceiptData, l: &Labels, col: Col) {
    let face = w.face;
    w.para(col, &l.number, 10.0, GREY);
    let number_size = face.fit(&d.number, NUMBER_SIZE, NUMBER_MIN_SIZE, col.width);
    w.para(col, &d.number, number_size, BLACK);
    w.y -= 10.0;
    let Some(code) = &d.access_code else {
        w.para(col, &l.code_not_shown, 9.5, GREY);
        return;
    };
    let code = grouped_code(code);
    let pad = 8.0;
    let border = 1.2;
    let inner = Col {
        left: col.left + pad,
        width: col.width - 2.0 * pad,
    };
    let code_size = face.fit(&code, CODE_SIZE, CODE_MIN_SIZE, inner.width);
    let parts = [
        (l.access_code.as_str(), 10.0, GREY),
        (code.as_str(), code_size, BLACK),
        (l.keep_secret.as_str(), 9.5, BLACK),
    ];
    let text_h: f32 = parts
        .iter()
        .map(|&(text, size, _)| w.para_height(text, size, inner.width))
        .sum();
    let box_h = pad + text_h + pad;
    w.need(box_h);
    let top = w.y;
    let bottom = top - box_h;
    w.ops.push(Op::SetFillColor { col: color(TINT) });
    w.ops.push(Op::SetOutlineColor { col: color(ACCENT) });
    w.ops.push(Op::SetOutlineThickness { pt: Pt(border) });
    w.ops.push(rect(
        col.left,
        bottom,
        col.width,
        box_h,
        PaintMode::FillStroke,
    ));
    // The stroke is centred on the edge: half of it lies inside.
    w.boxes.push(Frame {
        page: w.page,
        left: col.left + border / 2.0,
        bottom: bottom + border / 2.0,
        right: col.right() - border / 2.0,
        top: top - border / 2.0,
    });
    w.in_box = Some(w.boxes.len() - 1);
    w.y -= pad;
    for (text, size, rgb) in parts {
        w.para(inner, text, size, rgb);
    }
    w.in_box = None;
    w.y = bottom;
}

/// The label/value rows as a two-column table.
fn draw_details(w: &mut Writer<'_>, d: &ReceiptData, l: &Labels) {
    let face = w.face;
    let label_col = Col {
        left: MARGIN_X,
        width: LABEL_COL - 10.0,
    };
    let value_col = Col {
        left: MARGIN_X + LABEL_COL,
        width: PAGE_W - 2.0 * MARGIN_X - LABEL_COL,
    };
    for (label, value) in detail_rows(d, l) {
        let label_lines = face.wrap(label, 10.0, label_col.width);
        let value_lines = face.wrap(&value, 11.0, value_col.width);
        let rows = label_lines.len().max(value_lines.len());
        #[allow(clippy::cast_precision_loss)]
        w.need(rows as f32 * 11.0 * 1.4);
        for i in 0..rows {
            let baseline = w.y - 11.0;
            if let Some(t) = label_lines.get(i) {
                w.text_at(label_col, label_col.left, baseline, t, 10.0, GREY);
            }
            if let Some(t) = value_lines.get(i) {
                w.text_at(value_col, value_col.left, baseline, t, 11.0, BLACK);
            }
            w.y -= 11.0 * 1.4;
        }
        w.y -= 3.0;
    }
}

/// Lays out the whole receipt with `face`.
fn lay_out(d: &ReceiptData, l: &Labels, face: &Face, qr: &QrModules) -> Layout {
    let content = Col {
        left: MARGIN_X,
        width: PAGE_W - 2.0 * MARGIN_X,
    };
    let mut w = Writer::new(face, format!("{} · {} {}", l.title, l.number, d.number));

    // Title and rule.
    w.para(content, &l.title, 20.0, BLACK);
    w.ops.push(Op::SetOutlineColor { col: color(ACCENT) });
    w.ops.push(Op::SetOutlineThickness { pt: Pt(1.5) });
    w.y -= 2.0;
    w.ops
        .push(rect(MARGIN_X, w.y, content.width, 0.0, PaintMode::Stroke));
    w.y -= 14.0;
    let top = w.y;

    let right_bottom = draw_qr(&mut w, qr, top, &l.scan_qr, &d.status_url);
    w.y = top;
    let left = Col {
        left: MARGIN_X,
        width: content.width - QR_SIZE - 18.0,
    };
    draw_number_and_code(&mut w, d, l, left);
    w.y = w.y.min(right_bottom) - 16.0;
    draw_details(&mut w, d, l);

    if !d.documents.is_empty() {
        w.heading(&l.documents);
        for doc_name in &d.documents {
            w.item("•", doc_name, 11.0);
        }
    }
    if !d.next_steps.is_empty() {
        w.heading(&l.next_steps);
        for (i, step) in d.next_steps.iter().enumerate() {
            w.item(&format!("{}.", i + 1), step, 11.0);
        }
    }
    w.finish(&l.footer(&d.generated_at), l)
}

/// The receipt as an A4 PDF with the font embedded (subset to the glyphs used).
pub fn receipt_pdf(d: &ReceiptData) -> Result<Vec<u8>, ReceiptError> {
    let l = Labels::new(d.lang);
    let qr = qr_runs(&d.status_url).ok_or(ReceiptError::QrTooLong)?;

    let mut doc = PdfDocument::new(&format!("{} {}", l.title, d.number));
    "tirkeu".clone_into(&mut doc.metadata.info.creator);
    "tirkeu (printpdf)".clone_into(&mut doc.metadata.info.producer);
    let parsed = parse_font()?;
    let id = doc.add_font(&parsed);
    let face = Face::new(parsed, id);

    let pages = lay_out(d, &l, &face, &qr)
        .pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops))
        .collect();
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    if let Some(e) = warnings
        .iter()
        .find(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        return Err(ReceiptError::Pdf(e.msg.clone()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts;
    use tirkeu_core::lifecycle::State;

    #[test]
    fn tokens_break_words_and_cjk() {
        assert_eq!(tokens("ab cd  e"), ["ab ", "cd  ", "e"]);
        assert_eq!(
            tokens("申请，编号 tirkeu"),
            ["申", "请，", "编", "号 ", "tirkeu"]
        );
        assert_eq!(tokens("由tirkeu签发"), ["由", "tirkeu", "签", "发"]);
        assert_eq!(tokens("HX4P-92KD-TQ"), ["HX4P-", "92KD-", "TQ"]);
        assert!(tokens("").is_empty());
    }

    fn face() -> Face {
        Face::new(parse_font().unwrap(), FontId::new())
    }

    /// Every text of the receipt in `lang`, with sample values for the parameters.
    fn all_texts(lang: Lang) -> Vec<String> {
        let l = Labels::new(lang);
        let mut out = vec![
            l.title.clone(),
            l.number.clone(),
            l.access_code.clone(),
            l.keep_secret.clone(),
            l.code_not_shown.clone(),
            l.applicant.clone(),
            l.permit_type.clone(),
            l.submitted_on.clone(),
            l.office.clone(),
            l.processing_time.clone(),
            l.documents.clone(),
            l.next_steps.clone(),
            l.scan_qr.clone(),
            l.print_hint.clone(),
            l.processing_days(21),
            l.page(1, 2),
            l.footer("2026-11-24 17:58 +05"),
            "•·0123456789.".to_owned(),
        ];
        out.extend(texts::receipt_steps(lang));
        out.extend(
            State::ALL
                .iter()
                .map(|&s| texts::next_step(s, lang).to_owned()),
        );
        out
    }

    /// A letter missing from the font would print as a box; check every fixed text.
    #[test]
    fn the_font_has_every_letter_of_every_text() {
        let f = face();
        for lang in Lang::ALL {
            for text in all_texts(lang) {
                // A message missing from the Fluent files would come back as its id.
                assert!(!text.contains("receipt-"), "{lang}: {text}");
                for c in text.chars() {
                    assert!(
                        f.parsed
                            .lookup_glyph_index(u32::from(c))
                            .is_some_and(|g| g != 0),
                        "{lang} lacks {c:?} (in {text:?})"
                    );
                }
            }
        }
        // Spaces have a width (printpdf's own advance lookup says 0 for them).
        assert!(f.advance(' ') > 0.1);
    }

    #[test]
    fn wrapped_lines_fit() {
        let f = face();
        for lang in Lang::ALL {
            let text = Labels::new(lang).keep_secret;
            let lines = f.wrap(&text, 10.0, 200.0);
            assert!(lines.len() > 1);
            for line in &lines {
                assert!(f.width(line, 10.0) <= 200.0, "{line:?}");
                assert!(!line.starts_with(' ') && !line.ends_with(' '));
                assert!(!line.starts_with(['，', '。', '；']), "{line:?}");
            }
            // Nothing lost but the spaces at the breaks.
            let strip = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
            assert_eq!(strip(&lines.concat()), strip(&text));
        }
        let long = "X".repeat(300);
        assert!(
            f.wrap(&long, 10.0, 100.0)
                .iter()
                .all(|l| f.width(l, 10.0) <= 100.0)
        );
        assert_eq!(f.wrap("", 10.0, 100.0), [""]);
    }

    #[test]
    fn processing_time_takes_the_plural_each_language_needs() {
        let ru = Labels::new(Lang::Ru);
        // After «около» the genitive: 1, 21, 101 take «рабочего дня», all others «рабочих дней».
        for (n, want) in [
            (1, "около 1 рабочего дня"),
            (2, "около 2 рабочих дней"),
            (5, "около 5 рабочих дней"),
            (11, "около 11 рабочих дней"),
            (15, "около 15 рабочих дней"),
            (21, "около 21 рабочего дня"),
            (22, "около 22 рабочих дней"),
            (101, "около 101 рабочего дня"),
            (111, "около 111 рабочих дней"),
        ] {
            assert_eq!(ru.processing_days(n), want);
        }
        let en = Labels::new(Lang::En);
        assert_eq!(en.processing_days(1), "about 1 working day");
        assert_eq!(en.processing_days(21), "about 21 working days");
        assert_eq!(
            Labels::new(Lang::Kk).processing_days(21),
            "шамамен 21 жұмыс күні"
        );
        assert_eq!(Labels::new(Lang::Zh).processing_days(1), "约 1 个工作日");
    }

    #[test]
    fn page_numbers_and_html_lang() {
        assert_eq!(Labels::new(Lang::En).page(2, 3), "Page 2 of 3");
        assert_eq!(Labels::new(Lang::Ru).page(2, 3), "Стр. 2 из 3");
        assert_eq!(Labels::new(Lang::Kk).page(2, 3), "Бет 2/3");
        assert_eq!(Labels::new(Lang::Zh).page(2, 3), "第 2 页，共 3 页");
        let attrs: Vec<_> = Lang::ALL
            .iter()
            .map(|&l| Labels::new(l).html_lang())
            .collect();
        assert_eq!(attrs, ["kk", "ru", "en", "zh-Hans"]);
    }

    #[test]
    fn access_codes_are_printed_in_groups_of_four() {
        assert_eq!(grouped_code(" hx4p 92kd-tq7m "), "HX4P-92KD-TQ7M");
        assert_eq!(grouped_code("HX4P92KDTQ"), "HX4P-92KD-TQ");
    }

    #[test]
    fn fit_shrinks_to_the_width_but_not_below_the_floor() {
        let f = face();
        assert!((f.fit("ABC", 20.0, 12.0, 500.0) - 20.0).abs() < f32::EPSILON);
        let code = "WWWW-WWWW-WWWW-WWWW-WWWW-WWWW-WW";
        let room = f.width(code, 15.0);
        let size = f.fit(code, 20.0, 12.0, room);
        assert!(
            (14.9..=15.0).contains(&size) && f.width(code, size) <= room,
            "{size}"
        );
        assert!((f.fit(code, 20.0, 12.0, 50.0) - 12.0).abs() < f32::EPSILON);
    }

    /// The widest texts a receipt can carry: the widest letters at the longest lengths the
    /// API accepts (100 letters for each name), the widest access code, a long office name.
    fn widest(lang: Lang) -> ReceiptData {
        ReceiptData {
            lang,
            number: "WWWW-WWWW-WWWW-WWWW".into(),
            access_code: Some("WWWW-WWWW-WWWW-WWWW-WWWW-WWWW-WW".into()),
            applicant_name: format!(
                "{} {}",
                "ЩЖШЮМ".repeat(20),
                "Жанмұхаммед-Шерхан Мұхаммедқалиұлы ".repeat(3)
            ),
            permit_type_name: "Уақытша тұруға рұқсат (жұмыс істеу мақсатында) 外国人临时居留许可"
                .into(),
            submitted_on: "2026-11-24".into(),
            documents: vec![
                "Шетелдіктің паспорты немесе азаматтығы жоқ адамның жеке басын куәландыратын \
                 құжат"
                    .into(),
                "护照复印件".repeat(20),
            ],
            next_steps: texts::receipt_steps(lang),
            processing_days: 21,
            office: "Алматы қаласы Полиция департаментінің Көші-қон қызметі басқармасы".into(),
            status_url: crate::paths::status_page_url(
                "https://tirkeu.example.kz",
                lang,
                "WWWWWWWWWWWWWWWW",
            ),
            generated_at: "2026-11-24 17:58 +05".into(),
        }
    }

    /// Every line lies within the column it was laid out in, and on the page.
    fn assert_in_columns(lang: Lang, layout: &Layout) {
        for p in &layout.placed {
            assert!(
                p.x >= p.col.left - 0.01 && p.x + p.width <= p.col.right() + 0.01,
                "{lang}: {:?} is {:.1} wide at x {:.1}, its column is {:.1}..{:.1}",
                p.text,
                p.width,
                p.x,
                p.col.left,
                p.col.right()
            );
            assert!(p.col.left >= MARGIN_X && p.col.right() <= PAGE_W - MARGIN_X + 0.01);
            assert!(
                p.baseline > 0.0 && p.baseline + p.size < PAGE_H,
                "{lang}: {p:?}"
            );
        }
    }

    /// Every line stays in the column it was laid out in, and every line of the access-code
    /// box stays inside the box's borders, in every language with the widest texts.
    #[test]
    fn no_text_leaves_its_column_or_the_code_box() {
        let f = face();
        let em = f.units_per_em;
        let ascent = f32::from(f.parsed.font_metrics.ascender) / em;
        let descent = f32::from(f.parsed.font_metrics.descender) / em; // negative
        let eps = 0.01;
        for lang in Lang::ALL {
            let d = widest(lang);
            let l = Labels::new(lang);
            let qr = qr_runs(&d.status_url).unwrap();
            let layout = lay_out(&d, &l, &f, &qr);
            assert_eq!(layout.boxes.len(), 1, "{lang}: one code box");
            let frame = layout.boxes[0];
            let in_box: Vec<_> = layout
                .placed
                .iter()
                .filter(|p| p.in_box.is_some())
                .collect();
            // Label, the whole code, and every line of the warning are in the box.
            let code_lines: String = in_box
                .iter()
                .filter(|p| p.text.contains("WWW"))
                .map(|p| p.text.as_str())
                .collect();
            assert_eq!(code_lines, "WWWW-WWWW-WWWW-WWWW-WWWW-WWWW-WW", "{lang}");
            assert!(in_box.len() >= 3, "{lang}: {in_box:?}");
            assert_in_columns(lang, &layout);
            for p in &layout.placed {
                if p.in_box.is_some() {
                    assert_eq!(p.page, frame.page);
                    assert!(
                        p.x >= frame.left
                            && p.x + p.width <= frame.right
                            && p.baseline + ascent * p.size <= frame.top
                            && p.baseline + descent * p.size >= frame.bottom,
                        "{lang}: {:?} at ({:.1}, {:.1}) size {:.1} crosses the box {frame:?}",
                        p.text,
                        p.x,
                        p.baseline,
                        p.size
                    );
                }
            }
            // The code is on one line, shrunk no further than the floor.
            let code: Vec<_> = in_box.iter().filter(|p| p.text.contains("WWW")).collect();
            assert_eq!(code.len(), 1, "{lang}: {code:?}");
            assert!(code[0].size >= CODE_MIN_SIZE && code[0].size < CODE_SIZE);
            // The long office name wraps in the value column, nothing lost.
            let value_x = MARGIN_X + LABEL_COL;
            let office: String = layout
                .placed
                .iter()
                .filter(|p| (p.x - value_x).abs() < eps)
                .map(|p| p.text.as_str())
                .collect();
            let strip = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
            assert!(
                strip(&office).contains(&strip(&d.office)),
                "{lang}: {office}"
            );
            // A list long enough for more pages: running heads and page numbers fit too.
            let mut long = d.clone();
            long.documents = (1..=60)
                .map(|i| format!("{} {i}", d.documents[0]))
                .collect();
            let layout = lay_out(&long, &l, &f, &qr);
            assert!(layout.placed.iter().any(|p| p.page == 2), "{lang}");
            assert_in_columns(lang, &layout);
            // The real (shorter) code keeps the full size.
            let mut real = d.clone();
            real.access_code = Some("HX4P-92KD-TQ7M-WW3N-8RZC-K2VA-MQ".into());
            real.number = "7K2M-Q9XD-4HRT-1BWF".into();
            let layout = lay_out(&real, &l, &f, &qr);
            let number = layout
                .placed
                .iter()
                .find(|p| p.text == real.number)
                .unwrap();
            assert!((number.size - NUMBER_SIZE).abs() < f32::EPSILON, "{lang}");
        }
    }

    #[test]
    fn a_receipt_without_the_code_says_so_and_draws_no_box() {
        let f = face();
        let mut d = widest(Lang::En);
        d.access_code = None;
        let l = Labels::new(Lang::En);
        let layout = lay_out(&d, &l, &f, &qr_runs(&d.status_url).unwrap());
        assert!(layout.boxes.is_empty());
        assert!(layout.placed.iter().any(|p| {
            p.text
                .starts_with("This copy does not show the access code")
        }));
    }
}

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
    /// The access code as the applicant presented it to get this receipt (printed on every
    /// copy). `None` only when a caller renders a receipt without it; the receipt then says
    /// the code is not on this copy.
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
                esc(code),
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

impl Face {
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
            // a URL separator (so a long status URL wraps at `/`, `?`, `&` or `=`).
            if i < chars.len()
                && !is_cjk(chars[i].1)
                && chars[i].1 != ' '
                && !matches!(c, '/' | '?' | '&' | '=')
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

/// Collects drawing operations page by page, moving a cursor down the page.
struct Writer<'f> {
    face: &'f Face,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The top of the free space on the current page.
    y: f32,
    /// Printed at the top of every page after the first, so a loose page still names the case.
    running_head: String,
}

impl<'f> Writer<'f> {
    fn new(face: &'f Face, running_head: String) -> Self {
        Writer {
            face,
            pages: Vec::new(),
            ops: Vec::new(),
            y: PAGE_H - MARGIN_TOP,
            running_head,
        }
    }

    /// Starts a new page if less than `h` points are left on this one.
    fn need(&mut self, h: f32) {
        if self.y - h < BODY_BOTTOM {
            self.pages.push(std::mem::take(&mut self.ops));
            self.y = PAGE_H - MARGIN_TOP;
            let head = std::mem::take(&mut self.running_head);
            self.text_at(MARGIN_X, self.y - 9.0, &head, 9.0, GREY);
            self.running_head = head;
            self.y -= 24.0;
        }
    }

    /// One line of text with its baseline at (`x`, `baseline`).
    fn text_at(&mut self, x: f32, baseline: f32, text: &str, size: f32, rgb: (f32, f32, f32)) {
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

    /// A wrapped paragraph starting at the cursor; returns nothing, moves the cursor below it.
    fn para(&mut self, x: f32, width: f32, text: &str, size: f32, rgb: (f32, f32, f32)) {
        let lead = size * 1.35;
        for line in self.face.wrap(text, size, width) {
            self.need(lead);
            let baseline = self.y - size;
            self.text_at(x, baseline, &line, size, rgb);
            self.y -= lead;
        }
    }

    /// A wrapped list item with a marker (bullet or number) in a hanging indent.
    fn item(&mut self, marker: &str, text: &str, size: f32) {
        let indent = 18.0;
        let lead = size * 1.35;
        let width = PAGE_W - 2.0 * MARGIN_X - indent;
        for (i, line) in self.face.wrap(text, size, width).iter().enumerate() {
            self.need(lead);
            let baseline = self.y - size;
            if i == 0 {
                self.text_at(MARGIN_X + 4.0, baseline, marker, size, ACCENT);
            }
            self.text_at(MARGIN_X + indent, baseline, line, size, BLACK);
            self.y -= lead;
        }
        self.y -= 2.0;
    }

    fn heading(&mut self, text: &str) {
        // Keep a heading together with at least two lines of what follows.
        self.need(14.0 * 1.35 + 10.0 + 2.0 * 11.0 * 1.35);
        self.y -= 10.0;
        self.para(MARGIN_X, PAGE_W - 2.0 * MARGIN_X, text, 14.0, ACCENT);
        self.y -= 2.0;
    }

    fn finish(mut self, footer: &str, l: &Labels) -> Vec<Vec<Op>> {
        self.pages.push(std::mem::take(&mut self.ops));
        let n = self.pages.len();
        let face = self.face;
        let mut pages = std::mem::take(&mut self.pages);
        for (i, ops) in pages.iter_mut().enumerate() {
            let mut w = Writer::new(face, String::new());
            w.ops.push(Op::SetOutlineColor {
                col: color((0.75, 0.75, 0.75)),
            });
            w.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
            w.ops.push(rect(
                MARGIN_X,
                FOOTER_Y + 11.0,
                PAGE_W - 2.0 * MARGIN_X,
                0.0,
                PaintMode::Stroke,
            ));
            w.text_at(MARGIN_X, FOOTER_Y, footer, 8.0, GREY);
            if n > 1 {
                let page = l.page(i + 1, n);
                let x = PAGE_W - MARGIN_X - face.width(&page, 8.0);
                w.text_at(x, FOOTER_Y, &page, 8.0, GREY);
            }
            ops.append(&mut w.ops);
        }
        pages
    }
}

/// Draws the QR code (vector modules) at the top right with its caption and URL under it;
/// returns the lowest point drawn.
fn draw_qr(w: &mut Writer<'_>, qr: &QrModules, top: f32, caption: &str, url: &str) -> f32 {
    let face = w.face;
    let qr_x = PAGE_W - MARGIN_X - QR_SIZE;
    #[allow(clippy::cast_precision_loss)] // a QR code is at most 177 modules wide
    let module = QR_SIZE / (qr.width + 2 * QR_QUIET) as f32;
    w.ops.push(Op::SetFillColor { col: color(BLACK) });
    for &(row, col, len) in &qr.runs {
        #[allow(clippy::cast_precision_loss)]
        let (row, col, len, quiet) = (row as f32, col as f32, len as f32, QR_QUIET as f32);
        w.ops.push(rect(
            qr_x + (col + quiet) * module,
            top - (row + quiet + 1.0) * module,
            len * module,
            module,
            PaintMode::Fill,
        ));
    }
    w.y = top - QR_SIZE - 2.0;
    // Caption and the URL itself (for those who cannot scan), centred under the code.
    for (text, size, rgb) in [(caption, 8.0, BLACK), (url, 6.5, GREY)] {
        for line in face.wrap(text, size, QR_SIZE) {
            let x = qr_x + (QR_SIZE - face.width(&line, size)) / 2.0;
            w.text_at(x, w.y - size, &line, size, rgb);
            w.y -= size * 1.3;
        }
        w.y -= 1.0;
    }
    w.y
}

/// The application number, then the access code in a box (or the note that it is not shown).
fn draw_number_and_code(w: &mut Writer<'_>, d: &ReceiptData, l: &Labels, left_w: f32) {
    w.para(MARGIN_X, left_w, &l.number, 10.0, GREY);
    w.para(MARGIN_X, left_w, &d.number, 26.0, BLACK);
    w.y -= 10.0;
    let Some(code) = &d.access_code else {
        w.para(MARGIN_X, left_w, &l.code_not_shown, 9.5, GREY);
        return;
    };
    let pad = 8.0;
    let inner = left_w - 2.0 * pad;
    let warn = w.face.wrap(&l.keep_secret, 9.5, inner);
    #[allow(clippy::cast_precision_loss)]
    let box_h = pad + 10.0 * 1.35 + 20.0 * 1.35 + warn.len() as f32 * 9.5 * 1.35 + pad;
    let bottom = w.y - box_h;
    w.ops.push(Op::SetFillColor { col: color(TINT) });
    w.ops.push(Op::SetOutlineColor { col: color(ACCENT) });
    w.ops.push(Op::SetOutlineThickness { pt: Pt(1.2) });
    w.ops
        .push(rect(MARGIN_X, bottom, left_w, box_h, PaintMode::FillStroke));
    w.y -= pad;
    w.para(MARGIN_X + pad, inner, &l.access_code, 10.0, GREY);
    w.para(MARGIN_X + pad, inner, code, 20.0, BLACK);
    w.para(MARGIN_X + pad, inner, &l.keep_secret, 9.5, BLACK);
    w.y = bottom;
}

/// The label/value rows as a two-column table.
fn draw_details(w: &mut Writer<'_>, d: &ReceiptData, l: &Labels) {
    let face = w.face;
    let value_x = MARGIN_X + LABEL_COL;
    let value_w = PAGE_W - 2.0 * MARGIN_X - LABEL_COL;
    for (label, value) in detail_rows(d, l) {
        let label_lines = face.wrap(label, 10.0, LABEL_COL - 10.0);
        let value_lines = face.wrap(&value, 11.0, value_w);
        let rows = label_lines.len().max(value_lines.len());
        #[allow(clippy::cast_precision_loss)]
        w.need(rows as f32 * 11.0 * 1.4);
        for i in 0..rows {
            let baseline = w.y - 11.0;
            if let Some(t) = label_lines.get(i) {
                w.text_at(MARGIN_X, baseline, t, 10.0, GREY);
            }
            if let Some(t) = value_lines.get(i) {
                w.text_at(value_x, baseline, t, 11.0, BLACK);
            }
            w.y -= 11.0 * 1.4;
        }
        w.y -= 3.0;
    }
}

/// The receipt as an A4 PDF with the font embedded (subset to the glyphs used).
pub fn receipt_pdf(d: &ReceiptData) -> Result<Vec<u8>, ReceiptError> {
    let l = &Labels::new(d.lang);
    let qr = qr_runs(&d.status_url).ok_or(ReceiptError::QrTooLong)?;

    let mut doc = PdfDocument::new(&format!("{} {}", &l.title, d.number));
    "tirkeu".clone_into(&mut doc.metadata.info.creator);
    "tirkeu (printpdf)".clone_into(&mut doc.metadata.info.producer);
    let parsed =
        ParsedFont::from_bytes(FONT_BYTES, FONT_FACE, &mut Vec::new()).ok_or(ReceiptError::Font)?;
    let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
    let id = doc.add_font(&parsed);
    let face = Face {
        parsed,
        id,
        units_per_em,
    };

    let content_w = PAGE_W - 2.0 * MARGIN_X;
    let mut w = Writer::new(&face, format!("{} · {} {}", &l.title, &l.number, d.number));

    // Title and rule.
    w.para(MARGIN_X, content_w, &l.title, 20.0, BLACK);
    w.ops.push(Op::SetOutlineColor { col: color(ACCENT) });
    w.ops.push(Op::SetOutlineThickness { pt: Pt(1.5) });
    w.y -= 2.0;
    w.ops
        .push(rect(MARGIN_X, w.y, content_w, 0.0, PaintMode::Stroke));
    w.y -= 14.0;
    let top = w.y;

    let right_bottom = draw_qr(&mut w, &qr, top, &l.scan_qr, &d.status_url);
    w.y = top;
    draw_number_and_code(&mut w, d, l, content_w - QR_SIZE - 18.0);
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

    let pages = w
        .finish(&l.footer(&d.generated_at), l)
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
        assert!(tokens("").is_empty());
    }

    fn face() -> Face {
        let parsed = ParsedFont::from_bytes(FONT_BYTES, FONT_FACE, &mut Vec::new()).unwrap();
        let units_per_em = f32::from(parsed.font_metrics.units_per_em);
        Face {
            parsed,
            id: FontId::new(),
            units_per_em,
        }
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
}

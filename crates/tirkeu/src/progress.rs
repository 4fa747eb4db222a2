//! Progress bars for long work, drawn on stderr only when it is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting to `total`.
pub fn bar(total: u64, what: &str) -> ProgressBar {
    let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template(
            "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, ETA {eta})",
        )
        .expect("a valid template"),
    );
    b.set_message(what.to_owned());
    b
}

/// A spinner counting items of unknown total.
pub fn counter(what: &str) -> ProgressBar {
    let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template("{spinner} {msg}: {human_pos} [{elapsed_precise}, {per_sec}]")
            .expect("a valid template"),
    );
    b.set_message(what.to_owned());
    b
}

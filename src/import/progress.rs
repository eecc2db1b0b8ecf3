//! The progress bar on stderr for long imports: bytes of the input read so far. Hidden when
//! stderr is not a terminal (CI logs, tests, pipes), so it never mixes into a report.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Updates are cheap; the bar redraws at most a few times a second.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar over `total` bytes, drawn only when `show` and stderr is a terminal.
    pub fn new(total: u64, show: bool) -> Self {
        let bar = if show && std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta} left)")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message("importing");
            bar
        } else {
            ProgressBar::hidden()
        };
        Self { bar }
    }

    /// A bar that never draws.
    #[cfg(test)]
    pub fn hidden() -> Self {
        Self {
            bar: ProgressBar::hidden(),
        }
    }

    pub fn set(&self, bytes: u64) {
        self.bar.set_position(bytes);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

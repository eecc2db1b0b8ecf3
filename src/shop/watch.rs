//! What starts a reload while serving: a changed file under the editor folders (debounced, so
//! saving many files loads once) and `SIGHUP`. The admin endpoint calls [`LiveShop::reload`]
//! itself.

use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::mpsc;

use super::{LiveShop, Trigger};

/// Starts watching the editor folders (when `reload.watch` is on) and listening for `SIGHUP`.
/// Must be called inside a tokio runtime. A folder that cannot be watched is logged, not fatal:
/// `SIGHUP` and the admin endpoint still reload.
pub fn watch(live: Arc<LiveShop>) {
    if live.settings().watch {
        watch_files(Arc::clone(&live));
    }
    listen_for_hangup(live);
}

fn watch_files(live: Arc<LiveShop>) {
    let (changed, mut changes) = mpsc::unbounded_channel::<()>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            )
        {
            let _ = changed.send(());
        }
    });
    let mut watcher = match watcher {
        Ok(watcher) => watcher,
        Err(error) => {
            tracing::warn!(%error, "cannot watch the editor files; reload with SIGHUP or POST /admin/reload");
            return;
        }
    };
    let paths = live.paths();
    for folder in [&paths.catalog, &paths.questions, &paths.templates] {
        if let Err(error) = watcher.watch(folder, RecursiveMode::Recursive) {
            tracing::warn!(folder = %folder.display(), %error, "cannot watch this folder");
        }
    }
    let quiet = Duration::from_millis(live.settings().debounce_ms);
    tokio::spawn(async move {
        // The watcher stops when dropped: it lives as long as this task.
        let _watcher = watcher;
        while changes.recv().await.is_some() {
            while let Ok(Some(())) = tokio::time::timeout(quiet, changes.recv()).await {}
            live.reload(Trigger::Watch).await;
        }
    });
}

#[cfg(unix)]
fn listen_for_hangup(live: Arc<LiveShop>) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = match signal(SignalKind::hangup()) {
        Ok(hangups) => hangups,
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGHUP");
            return;
        }
    };
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            live.reload(Trigger::Signal).await;
        }
    });
}

#[cfg(not(unix))]
fn listen_for_hangup(_live: Arc<LiveShop>) {}

//! The terminal, in one place: raw mode and the alternate screen going in, and everything put
//! back coming out, on a normal exit, an error, a panic, a signal, ctrl-z or a SQL shell.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, EventStream};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute, terminal};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::msg::Msg;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is currently in TUI mode (so restoring twice is harmless).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Raw mode, alternate screen, hidden cursor, bracketed paste.
pub fn enter() -> io::Result<Term> {
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut stdout = io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableBracketedPaste, cursor::Hide) {
        restore();
        return Err(e);
    }
    let mut term = Terminal::new(CrosstermBackend::new(stdout))?;
    full_redraw(&mut term)?;
    Ok(term)
}

/// Clears the screen and forgets what was drawn, so the next frame is drawn whole. Unlike
/// `Terminal::clear`, it does not ask the terminal where the cursor is: with the event reader
/// running, the answer could be swallowed and the question time out.
pub fn full_redraw(term: &mut Term) -> io::Result<()> {
    let size = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Draws one frame as a synchronized update: a terminal that knows the mode shows it whole,
/// never half drawn, and one that does not ignores the markers.
pub fn draw(term: &mut Term, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
    crossterm::queue!(term.backend_mut(), BeginSynchronizedUpdate)?;
    term.draw(render)?;
    execute!(term.backend_mut(), EndSynchronizedUpdate)
}

/// Puts the terminal back as it was. Safe to call at any time, any number of times.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let mut stdout = io::stdout();
        // A frame cut short by an error or a panic must not leave the terminal holding its output.
        let _ = execute!(stdout, EndSynchronizedUpdate, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
        let _ = stdout.flush();
    }
}

/// A panic restores the terminal first, then prints, so the message is readable.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Forwards terminal events to the inbox. Stopped while another program owns the terminal.
pub struct Events {
    inbox: UnboundedSender<Msg>,
    task: Option<JoinHandle<()>>,
}

impl Events {
    pub fn start(inbox: UnboundedSender<Msg>) -> Self {
        let mut events = Self { inbox, task: None };
        events.resume();
        events
    }

    pub fn resume(&mut self) {
        if self.task.is_some() {
            return;
        }
        let inbox = self.inbox.clone();
        self.task = Some(tokio::spawn(async move {
            let mut stream = EventStream::new();
            while let Some(event) = stream.next().await {
                let Ok(event) = event else { break };
                if inbox.send(Msg::Input(event)).is_err() {
                    break;
                }
            }
        }));
    }

    pub fn pause(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        self.pause();
    }
}

/// Every catchable signal whose default action would end the process (SIGTERM, SIGHUP,
/// SIGINT, SIGQUIT, SIGUSR1, ...) becomes a clean quit, so the terminal is always put back.
/// SIGKILL cannot be caught, and faults (SIGSEGV, SIGBUS, ...) cannot be handled safely.
pub fn spawn_signal_watch(inbox: UnboundedSender<Msg>) {
    #[cfg(unix)]
    {
        use signal_hook::consts::signal::*;
        use tokio::signal::unix::{SignalKind, signal};
        const FATAL: &[i32] = &[
            SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSYS,
            SIGIO, SIGTRAP,
        ];
        for &number in FATAL {
            let Ok(mut watch) = signal(SignalKind::from_raw(number)) else {
                tracing::warn!(signal = number, "cannot watch the signal; it would leave the terminal as it is");
                continue;
            };
            let inbox = inbox.clone();
            tokio::spawn(async move {
                if watch.recv().await.is_some() {
                    tracing::info!(signal = number, "quitting on a signal");
                    let _ = inbox.send(Msg::Quit);
                }
            });
        }
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = inbox.send(Msg::Quit);
        }
    });
}

/// Leaves TUI mode, runs `during` (the shell, or a stop until `fg`), and comes back with a full redraw.
pub async fn step_out<F, Fut, T>(term: &mut Term, events: &mut Events, during: F) -> io::Result<T>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    events.pause();
    restore();
    let result = during().await;
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    full_redraw(term)?;
    events.resume();
    Ok(result)
}

/// ctrl-z: stop the process as a shell expects; `fg` continues here.
#[cfg(unix)]
pub fn stop_process() -> io::Result<()> {
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
}

#[cfg(not(unix))]
pub fn stop_process() -> io::Result<()> {
    Ok(())
}

/// Writes an escape sequence to the terminal (OSC 52 clipboard, bell).
pub fn write_raw(bytes: &[u8]) {
    let mut stdout = io::stdout();
    let _ = stdout.write_all(bytes);
    let _ = stdout.flush();
}

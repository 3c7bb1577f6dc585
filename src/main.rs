use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = s2tui::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(s2tui::cli::exit::CONFIG);
        }
    };
    let code = runtime.block_on(s2tui::cli::run(cli));
    // A blocking task still running (a key command being stopped, a key file that never
    // answers) must not keep the process alive once the program is done.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    ExitCode::from(code)
}

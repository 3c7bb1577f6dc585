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
    ExitCode::from(runtime.block_on(s2tui::cli::run(cli)))
}

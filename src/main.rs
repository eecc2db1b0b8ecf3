use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = advisor::cli::Cli::parse();
    match advisor::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

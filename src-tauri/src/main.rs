// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // `tend backup|restore …` answers on the command line and never opens a window.
    let args: Vec<String> = std::env::args().collect();
    if let Some(code) = tend_app::cli::dispatch(&args) {
        std::process::exit(code);
    }
    tend_app::run();
}

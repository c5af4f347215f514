//! Where Tend keeps its data.

use std::path::PathBuf;

/// The environment variable that overrides the data directory (tests, portable installs).
pub const DATA_DIR_ENV: &str = "TEND_DATA_DIR";

/// `$TEND_DATA_DIR` when set and not empty, otherwise the OS's per-user data directory
/// (`~/.local/share/tend` on Linux, `%APPDATA%\Tend\data` on Windows,
/// `~/Library/Application Support/vn.tend.desktop` on macOS).
pub fn resolve() -> PathBuf {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => directories::ProjectDirs::from("vn", "Tend", "Tend")
            .map(|d| d.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from(".tend")),
    }
}

/// The user's language from the POSIX locale variables, as a BCP 47 tag ("vi-VN"); "en-US" when
/// none is set. The UI picks Vietnamese when this starts with "vi".
pub fn os_locale() -> String {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            let tag = v.split('.').next().unwrap_or("").replace('_', "-");
            if !tag.is_empty() && tag != "C" && tag != "POSIX" {
                return tag;
            }
        }
    }
    "en-US".to_string()
}

//! `hipcoach catalog check|export`.

use crate::cli::CatalogCommand;
use hipcoach_core::catalog::Catalog;
use hipcoach_workflows::catalog_folder::CatalogDir;
use std::path::Path;
use std::process::ExitCode;

pub fn run(command: CatalogCommand) -> anyhow::Result<ExitCode> {
    match command {
        CatalogCommand::Check { dir, standalone, json } => check(&dir, standalone, json),
        CatalogCommand::Export { dir } => export(&dir),
    }
}

fn check(dir: &Path, standalone: bool, json: bool) -> anyhow::Result<ExitCode> {
    let folder = CatalogDir::read(dir).map_err(super::plainly)?;
    let file_count = folder.files.len() + folder.unreadable.len();
    let base = if standalone { Catalog::empty() } else { Catalog::builtin().clone() };
    let result = folder.layer_over(&base);
    if json {
        let (exercises, problems) = match &result {
            Ok(catalog) => (catalog.len(), Vec::new()),
            Err(error) => (0, error.problems.clone()),
        };
        super::print_json(&serde_json::json!({
            "valid": result.is_ok(),
            "files": file_count,
            "exercises": exercises,
            "problems": problems,
        }))?;
    } else {
        let files = format!("{} file{}", file_count, if file_count == 1 { "" } else { "s" });
        super::emit(&match &result {
            Ok(catalog) => format!(
                "{}: {files} checked, no problems. The catalog {} {} exercises.\n",
                dir.display(),
                if standalone { "has" } else { "with the built-in exercises has" },
                catalog.len()
            ),
            Err(error) => format!("{}: {files} checked.\n{error}\n", dir.display()),
        })?;
    }
    Ok(if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn export(dir: &Path) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = 0;
    let mut kept = 0;
    for (name, text) in Catalog::builtin_files() {
        let path = dir.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
                written += 1;
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => kept += 1,
            Err(error) => return Err(error).with_context(|| format!("cannot create {}", path.display())),
        }
    }
    println!("Wrote {written} exercise files to {}.", dir.display());
    if kept > 0 {
        println!("Kept {kept} files that were already there (never overwritten).");
    }
    println!("Edit them, then use them with `hipcoach --catalog {} exercises`.", dir.display());
    Ok(ExitCode::SUCCESS)
}

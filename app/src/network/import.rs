//! Importing actors and relations from CSV files (organisers, the secretariat, admins): a form
//! per file posted to `/network/import/upload` (multipart, so it works without JavaScript; with
//! it, `/import.js` shows the upload's progress), a dry run that lists every bad row, and the
//! report of the last import or check shown here once.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use shared::{network::ImportReport, AppError};

use crate::components::ErrorPanel;

/// The last report kept for the caller, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptReport {
    pub table: String,
    pub file: String,
    pub report: Result<ImportReport, String>,
    /// All row errors, of which `report` lists the first thousand.
    pub errors_total: usize,
}

#[server(prefix = "/fn")]
pub async fn import_page() -> Result<Option<KeptReport>, AppError> {
    use crate::request;
    let caller = request::caller()?;
    caller.require_any(shared::accounts::STEWARDS, "import organisations and relations")?;
    let Some(fields) = request::take_input("/network/import").await else { return Ok(None) };
    let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone());
    let report = match (get("report"), get("error")) {
        (Some(json), _) => serde_json::from_str(&json).map_err(|_| "The report could not be read.".to_string()),
        (None, Some(error)) => Err(error),
        (None, None) => return Ok(None),
    };
    Ok(Some(KeptReport {
        table: get("table").unwrap_or_default(),
        file: get("file").unwrap_or_default(),
        errors_total: get("errors_total").and_then(|n| n.parse().ok()).unwrap_or(0),
        report,
    }))
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| import_page());
    view! {
        <Title text="Import" />
        <p class="breadcrumb"><a href="/network">"Network"</a></p>
        <div class="page-head"><h1 class="page-title">"Import organisations and relations"</h1></div>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(kept) => view! { <Import kept=kept /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Import(kept: Option<KeptReport>) -> AnyView {
    view! {
        {kept.map(|k| view! { <Report kept=k /> })}
        <UploadForm table="actors" title="Organisations"
            help="One organisation per line. Columns: name and kind (required); description, country, state, municipality, products, organic_status, members, website, email, phone, tags, visibility. English or Portuguese headers (nome, tipo, UF, município, produtos…), in any case, with or without accents; lists separated by | or ;." />
        <UploadForm table="relations" title="Relations"
            help="One relation per line. Columns: from, to (organisations by name or id) and kind (supplies, buys_from, finances, certifies, provides_technical_assistance, member_of, partners_with, regulates — or their labels); since, until, note, evidence." />
        <p class="muted">"Files saved by a spreadsheet work as they are: UTF-8 or Latin-1, separated by commas or semicolons. A check writes nothing; an import writes every good line and lists the others."</p>
    }
    .into_any()
}

#[component]
fn UploadForm(table: &'static str, title: &'static str, help: &'static str) -> impl IntoView {
    let id = format!("file-{table}");
    let for_id = id.clone();
    view! {
        <section class="card" aria-labelledby=format!("{table}-title")>
            <h2 id=format!("{table}-title")>{title}</h2>
            <form class="form upload-form" method="post" action="/network/import/upload" enctype="multipart/form-data" data-upload="">
                <input type="hidden" name="table" value=table />
                <div class="field">
                    <label for=for_id>{format!("{title}: CSV file")}</label>
                    <input id=id type="file" name="file" accept=".csv,text/csv,text/plain" required />
                    <p class="hint">{help}</p>
                </div>
                <progress class="upload-progress" max="100" value="0" hidden></progress>
                <p class="upload-status muted" role="status"></p>
                <div class="form-actions">
                    <button type="submit" name="dry_run" value="true" class="btn btn-secondary">"Check the file"</button>
                    <button type="submit" name="dry_run" value="false" class="btn btn-primary">"Import"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn Report(kept: KeptReport) -> impl IntoView {
    let what = |n: usize| match (kept.table == "relations", n == 1) {
        (true, true) => "relation",
        (true, false) => "relations",
        (false, true) => "organisation",
        (false, false) => "organisations",
    };
    let file = if kept.file.is_empty() { String::new() } else { format!(" from “{}”", kept.file) };
    view! {
        <section id="report" class="card import-report" aria-label="Import report">
            {match kept.report {
                Err(message) => view! {
                    <h2 id="report-title">{format!("Nothing was imported{file}")}</h2>
                    <div class="alert alert-error" role="alert">{message}</div>
                }.into_any(),
                Ok(r) => {
                    let headline = match (r.dry_run, r.imported) {
                        (true, n) => format!("Check{file}: {n} {} can be imported", what(n)),
                        (false, 0) => format!("Nothing was imported{file}"),
                        (false, n) => format!("Imported {n} {}{file}", what(n)),
                    };
                    let bad = kept.errors_total;
                    view! {
                        <h2 id="report-title">{headline}</h2>
                        <p>{match bad { 0 => "Every line is good.".to_string(), 1 => "1 line has a problem:".to_string(), n => format!("{n} lines have a problem:") }}</p>
                        {(bad > 0).then(|| view! {
                            <div class="table-wrap">
                                <table class="data-table">
                                    <caption class="visually-hidden">"Lines with a problem"</caption>
                                    <thead><tr><th scope="col">"Line"</th><th scope="col">"Problem"</th></tr></thead>
                                    <tbody>{r.errors.iter().map(|e| view! { <tr><td>{e.line}</td><td>{e.message.clone()}</td></tr> }).collect_view()}</tbody>
                                </table>
                            </div>
                            {(bad > r.errors.len()).then(|| view! { <p class="muted">{format!("The first {} of {bad} are listed.", r.errors.len())}</p> })}
                        })}
                        {(!r.dry_run && r.imported > 0).then(|| view! {
                            <p><a href="/network?sort=updated">"See them in the directory"</a>" · "<a href="/network/map">"on the map"</a></p>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::AppError;

use super::{draft_for_editing, EditDraft, EditorData, KeptEdit};
use crate::components::{ErrorPanel, FormAlert, FormValue};

/// The secretariat's editor of the working draft: one form per change (save a paragraph, move
/// it, delete it, add one, rename a theme), each stating the draft version it started from, so
/// that a change made on a stale page is refused rather than overwriting someone's work.
#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let edit = ServerAction::<EditDraft>::new();
    // Reload the draft after a change that worked, and after a conflict (someone else's
    // change comes in, and the text typed comes back beside it); after another refusal, keep
    // the page (and the text being typed) as it is.
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(()) | Err(AppError::Conflict(_))) = edit.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (slug(), saved.get()), |(slug, _)| draft_for_editing(slug));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Editor data=data edit=edit /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(data: EditorData, edit: ServerAction<EditDraft>) -> AnyView {
    let EditorData { doc, flash, kept } = data;
    let slug = doc.slug.clone();
    let base = doc.version.to_string();
    // Text kept for a paragraph or theme that is gone: shown to copy from.
    let orphan = kept.clone().filter(|k| !doc.themes.iter().any(|t| t.id == k.target || t.paragraphs.iter().any(|p| p.id == k.target)));
    view! {
        <Title text=format!("Edit — {}", doc.title) />
        <p class="breadcrumb"><a href=format!("/recommendations/{slug}")>{doc.title.clone()}</a></p>
        <h1 class="page-title">"Edit the working draft"</h1>
        <p class="doc-meta">{format!("Draft version {} · {} released", doc.version, doc.released)}</p>
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        <FormAlert result=edit.value().into() fields=&["text", "op", "theme_id", "paragraph_id"] />
        {orphan.map(|k| view! {
            <div class="alert alert-info kept-input" role="region" aria-label="Your text was not saved">
                <p>"Your text was not saved: what it was for has been deleted from the draft meanwhile. Here it is, to copy:"</p>
                <textarea readonly rows="4" aria-label="Your text, not saved">{crate::components::textarea_text(&k.text)}</textarea>
            </div>
        })}
        {doc.themes.into_iter().enumerate().map(|(t, theme)| {
            let title = KeptEdit::text_for(&kept, "rename", &theme.id).unwrap_or_else(|| theme.title.clone());
            let appended = KeptEdit::text_for(&kept, "append", &theme.id).unwrap_or_default();
            view! {
                <section class="theme edit-theme" id=format!("t-{}", theme.id) aria-labelledby=format!("th-{}", theme.id)>
                    <h2 id=format!("th-{}", theme.id)>{format!("{}. {}", t + 1, theme.title)}</h2>
                    <ThemeForm edit=edit slug=slug.clone() base=base.clone() id=theme.id.clone() op="rename" text=title number=t + 1 />
                    {theme.paragraphs.into_iter().map(|p| {
                        let kept = KeptEdit::text_for(&kept, "save", &p.id);
                        view! {
                            <EditParagraph edit=edit slug=slug.clone() base=base.clone() id=p.id text=p.text number=p.number kept=kept />
                        }
                    }).collect_view()}
                    <ThemeForm edit=edit slug=slug.clone() base=base.clone() id=theme.id.clone() op="append" text=appended number=t + 1 />
                </section>
            }
        }).collect_view()}
    }
    .into_any()
}

fn hidden(slug: &str, base: &str) -> impl IntoView {
    view! {
        <input type="hidden" name="slug" value=slug.to_string() />
        <input type="hidden" name="base_version" value=base.to_string() />
    }
}

/// One paragraph's form. `kept`: the text typed for it that was refused because the paragraph
/// changed meanwhile; it fills the box, and the current text shows above it.
#[component]
fn EditParagraph(
    edit: ServerAction<EditDraft>,
    slug: String,
    base: String,
    id: String,
    text: String,
    number: String,
    kept: Option<String>,
) -> AnyView {
    let anchor = format!("e-{id}");
    let field = format!("pt-{id}");
    let (s1, b1, i1, n1) = (slug.clone(), base.clone(), id.clone(), number.clone());
    let base_text = text.clone();
    let notice = kept.is_some().then(|| {
        let current = text.clone();
        view! {
            <div class="alert alert-info kept-input" role="region" aria-label="Your text was not saved">
                <p>"Your text was not saved: this paragraph changed since you opened the page. It now reads:"</p>
                <blockquote class="current-text">{current}</blockquote>
                <p>"Your text is in the box below; saving it replaces the text above."</p>
            </div>
        }
    });
    let value = kept.unwrap_or(text);
    let content = value.clone();
    view! {
        <div class="edit-paragraph" id=anchor>
            {notice}
            <ActionForm action=edit attr:class="form">
                {hidden(&s1, &b1)}
                <input type="hidden" name="op" value="save" />
                <input type="hidden" name="base_text" value=base_text />
                <input type="hidden" name="paragraph_id" value=i1 />
                <label for=field.clone()>{format!("Paragraph {n1}")}</label>
                <textarea id=field name="text" rows="4" required maxlength="20000" prop:value=FormValue::from(value)>{crate::components::textarea_text(&content)}</textarea>
                <div class="form-actions"><button type="submit" class="btn btn-small btn-primary">{format!("Save paragraph {n1}")}</button></div>
            </ActionForm>
            <div class="edit-actions">
                <SmallEdit edit=edit slug=slug.clone() base=base.clone() id=id.clone() op="up" label=format!("Move {number} up") class="btn-secondary" />
                <SmallEdit edit=edit slug=slug.clone() base=base.clone() id=id.clone() op="down" label=format!("Move {number} down") class="btn-secondary" />
                <SmallEdit edit=edit slug=slug base=base id=id op="delete" label=format!("Delete {number}") class="btn-danger" />
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn SmallEdit(
    edit: ServerAction<EditDraft>,
    slug: String,
    base: String,
    id: String,
    op: &'static str,
    label: String,
    class: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=edit attr:class="inline-form">
            {hidden(&slug, &base)}
            <input type="hidden" name="op" value=op />
            <input type="hidden" name="paragraph_id" value=id />
            <button type="submit" class=format!("btn btn-small {class}")>{label}</button>
        </ActionForm>
    }
}

/// Renames a theme (`op` = rename) or adds a paragraph at its end (`op` = append).
#[component]
fn ThemeForm(
    edit: ServerAction<EditDraft>,
    slug: String,
    base: String,
    id: String,
    op: &'static str,
    text: String,
    number: usize,
) -> impl IntoView {
    let field = format!("{op}-{id}");
    let content = text.clone();
    if op == "rename" {
        view! {
            <ActionForm action=edit attr:class="inline-form">
                {hidden(&slug, &base)}
                <input type="hidden" name="op" value="rename" />
                <input type="hidden" name="theme_id" value=id />
                <label for=field.clone()>{format!("Title of theme {number}")}</label>
                <input id=field name="text" value=text.clone() prop:value=FormValue::from(text) required maxlength="300" size="50" />
                <button type="submit" class="btn btn-small btn-secondary">"Rename"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=edit attr:class="form edit-append">
                {hidden(&slug, &base)}
                <input type="hidden" name="op" value="append" />
                <input type="hidden" name="theme_id" value=id />
                <label for=field.clone()>{format!("New paragraph under theme {number}")}</label>
                <textarea id=field name="text" rows="3" required maxlength="20000" prop:value=FormValue::from(text)>{crate::components::textarea_text(&content)}</textarea>
                <div class="form-actions"><button type="submit" class="btn btn-small btn-secondary">{format!("Add to theme {number}")}</button></div>
            </ActionForm>
        }
        .into_any()
    }
}

use leptos::prelude::*;
use leptos_meta::Title;

use shared::accounts::ApiTokenView;

use super::{my_tokens, CreateToken, RevokeToken};
use crate::components::{field_error, short_time, ErrorPanel, FormAlert};

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(move || (create.version().get(), revoke.version().get()), |_| my_tokens());
    let created = create.value();
    let name_error = move || field_error(created.get(), "name");
    view! {
        <Title text="API tokens" />
        <h1 class="page-title">"Personal API tokens"</h1>
        <p class="page-lead">"A token lets a script use the API as you: send it as " <code>"Authorization: Bearer …"</code> ". Revoke a token you no longer use."</p>
        <FormAlert result=created.into() fields=&["name"] />
        <FormAlert result=revoke.value().into() fields=&[] />
        <ActionForm action=create attr:class="form">
            <div class="field-row">
                <div class="field">
                    <label for="token-name">"Token name"</label>
                    <input id="token-name" name="name" required maxlength="100" placeholder="e.g. Monthly report script"
                        aria-invalid=move || name_error().is_some().to_string() aria-describedby="token-name-error" />
                    <p class="field-error" id="token-name-error">{name_error}</p>
                </div>
            </div>
            <div class="form-actions"><button type="submit" class="btn btn-primary">"Create token"</button></div>
        </ActionForm>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok((list, just_created)) => view! {
                        {just_created.map(|t| view! {
                            <div class="alert alert-success" role="status">
                                <p>"Token “" {t.name.clone()} "” created. Copy it now: it will not be shown again."</p>
                                <pre class="token-reveal" aria-label="New token">{t.token.clone()}</pre>
                            </div>
                        })}
                        {token_table(list, revoke, "Your tokens", "You have no API tokens.")}
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Tokens in a table, each with its Revoke button (`empty` when there are none).
pub fn token_table(
    list: Vec<ApiTokenView>,
    revoke: ServerAction<RevokeToken>,
    caption: &'static str,
    empty: &'static str,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty-state">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {list.into_iter().map(|t| view! {
                        <tr>
                            <td>{t.name.clone()}</td>
                            <td>{short_time(&t.created_at)}</td>
                            <td>{t.last_used_at.as_deref().map(short_time).unwrap_or_else(|| "never".into())}</td>
                            <td>
                                <ActionForm action=revoke>
                                    <input type="hidden" name="id" value=t.id.clone() />
                                    <button type="submit" class="btn btn-danger btn-small" aria-label=format!("Revoke {}", t.name)>"Revoke"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

//! A productive alliance between a producer organisation and a buyer: its stage, its agreement
//! (products, quantity, delivery, payment, the buyer's contribution) and its business plan, with
//! a form for the members of either organisation and the stewards. An alliance moves forward
//! through its stages (or ends); the form offers only those moves. Started from a meeting on the
//! buyer-matching page. Every form works without JavaScript.
// A server function takes the form's fields one by one (the form posts them by name).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use shared::{
    network::{alliance_moves, AllianceStage, AllianceView},
    AppError,
};

use crate::components::{field_error, kept_value, textarea_text, ErrorPanel, FormAlert, FormValue};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllianceData {
    pub alliance: AllianceView,
    pub plan_html: String,
    /// The caller belongs to one of the two organisations, or is a steward.
    pub can_edit: bool,
    pub flash: Option<String>,
    pub kept: Option<Vec<(String, String)>>,
}

#[cfg(feature = "ssr")]
fn alliance_path(id: &str) -> String {
    format!("/network/alliances/{id}")
}

#[server(prefix = "/fn")]
pub async fn alliance_page(id: String) -> Result<AllianceData, AppError> {
    use crate::request;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let alliance = ports.deals.alliance(&caller, &id).await?;
    let can_edit = shared::network::may_change_deal(&caller, &alliance.producer.id, &alliance.buyer.id);
    let path = alliance_path(&alliance.id);
    Ok(AllianceData {
        plan_html: shared::markdown::to_html(&alliance.business_plan),
        can_edit,
        flash: request::take_flash(&path),
        kept: request::take_input(&path).await,
        alliance,
    })
}

/// Saves the alliance form: its stage and every part of the agreement as typed.
#[server(prefix = "/fn")]
pub async fn save_alliance(
    id: String,
    status: String,
    products: String,
    quantity: String,
    delivery: String,
    payment: String,
    buyer_contribution: String,
    business_plan: String,
) -> Result<(), AppError> {
    use crate::request;
    let path = alliance_path(&id);
    let fields: Vec<(String, String)> = [
        ("form", "alliance"),
        ("status", &status),
        ("products", &products),
        ("quantity", &quantity),
        ("delivery", &delivery),
        ("payment", &payment),
        ("buyer_contribution", &buyer_contribution),
        ("business_plan", &business_plan),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let patch = serde_json::json!({
        "status": status,
        "products": products,
        "quantity": quantity,
        "delivery": delivery,
        "payment": payment,
        "buyer_contribution": buyer_contribution,
        "business_plan": business_plan,
    });
    let saved = async { request::ports()?.deals.update_alliance(&request::caller()?, &id, patch, None).await };
    let alliance = request::keep_if_refused(saved.await, &path, fields, |_| false).await?;
    request::set_flash(
        &path,
        &format!("The alliance of {} with {} is saved ({}).", alliance.producer.name, alliance.buyer.name, alliance.status.label()),
    );
    crate::request::redirect(&path);
    Ok(())
}

/// Starts an alliance between the two organisations of a meeting and opens it; an alliance
/// they already have is opened instead. After a meeting held, it starts at that stage.
#[server(prefix = "/fn")]
pub async fn start_alliance(producer: String, buyer: String, meeting_held: Option<String>) -> Result<(), AppError> {
    use crate::request;
    use shared::network::NewAlliance;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let status = if meeting_held.is_some() { AllianceStage::MeetingHeld } else { AllianceStage::Prospect };
    let new = NewAlliance { producer: producer.clone(), buyer: buyer.clone(), status: Some(status.as_str().into()), ..Default::default() };
    let id = match ports.deals.create_alliance(&caller, new).await {
        Ok(a) => {
            request::set_flash(&alliance_path(&a.id), &format!("The alliance of {} with {} is started.", a.producer.name, a.buyer.name));
            a.id
        }
        Err(AppError::Conflict(message)) => {
            let existing = ports.deals.alliances(&caller, Some(producer)).await?;
            match existing.into_iter().find(|a| a.buyer.id == buyer) {
                Some(a) => a.id,
                None => return Err(AppError::Conflict(message)),
            }
        }
        Err(e) => return Err(e),
    };
    crate::request::redirect(&alliance_path(&id));
    Ok(())
}

#[component]
pub fn AlliancePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let save = ServerAction::<SaveAlliance>::new();
    // The page's data reloads when a change is saved, not when one is refused (a reload would
    // clear what was typed).
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (id(), saved.get()), |(id, _)| alliance_page(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Alliance data=d save=save /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Alliance(data: AllianceData, save: ServerAction<SaveAlliance>) -> AnyView {
    let AllianceData { alliance: al, plan_html, can_edit, flash, kept } = data;
    let title = format!("Alliance: {} and {}", al.producer.name, al.buyer.name);
    let terms: Vec<(&'static str, String)> = [
        ("Products and characteristics", al.products.clone()),
        ("Quantity per period", al.quantity.clone()),
        ("Delivery and grading", al.delivery.clone()),
        ("Payment terms and price criteria", al.payment.clone()),
        ("The buyer's contribution", al.buyer_contribution.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let stage = AllianceStage::CHOICES.iter().position(|(k, _)| *k == al.status.as_str()).unwrap_or(0);
    view! {
        <Title text=title.clone() />
        <p class="breadcrumb">
            <a href="/network">"Network"</a>" · "<a href=format!("/network/actors/{}", al.producer.id)>{al.producer.name.clone()}</a>
        </p>
        <div class="page-head"><h1 class="page-title">{title}</h1></div>
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        <ol class="stages" aria-label="Stages of the alliance">
            {AllianceStage::CHOICES.iter().enumerate().map(|(i, (k, l))| {
                let class = if *k == al.status.as_str() { "stage current" } else if i < stage { "stage done" } else { "stage" };
                view! { <li class=class aria-current=(*k == al.status.as_str()).then_some("step")>{*l}</li> }
            }).collect_view()}
        </ol>
        <section class="card" aria-labelledby="agreement-title">
            <h2 id="agreement-title">"Agreement"</h2>
            <dl class="facts">
                <dt>"Producer organisation"</dt><dd><a href=format!("/network/actors/{}", al.producer.id)>{al.producer.name.clone()}</a></dd>
                <dt>"Buyer"</dt><dd><a href=format!("/network/actors/{}", al.buyer.id)>{al.buyer.name.clone()}</a></dd>
                <dt>"Stage"</dt><dd>{al.status.label().to_string()}</dd>
                {terms.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <h3>"Business plan"</h3>
            {if al.business_plan.is_empty() {
                view! { <p class="empty-state">"No business plan written yet."</p> }.into_any()
            } else {
                view! { <div class="markdown" inner_html=plan_html></div> }.into_any()
            }}
            <p class="muted">{format!("Started {} · last changed {}", day(&al.created_at), day(&al.updated_at))}</p>
        </section>
        {can_edit.then(|| view! { <AllianceForm alliance=al.clone() action=save kept=kept.clone() /> })}
    }
    .into_any()
}

fn day(at: &str) -> String {
    at.trim_start_matches("d'").chars().take(10).collect()
}

#[component]
fn AllianceForm(alliance: AllianceView, action: ServerAction<SaveAlliance>, kept: Option<Vec<(String, String)>>) -> impl IntoView {
    let result = action.value();
    let err = move |f: &'static str| move || field_error(result.get(), f);
    let value = |name: &str, current: &str| kept_value(&kept, "alliance", name).unwrap_or_else(|| current.to_string());
    let status = value("status", alliance.status.as_str());
    let plan = value("business_plan", &alliance.business_plan);
    let products = value("products", &alliance.products);
    let quantity = value("quantity", &alliance.quantity);
    let delivery = value("delivery", &alliance.delivery);
    let payment = value("payment", &alliance.payment);
    let contribution = value("buyer_contribution", &alliance.buyer_contribution);
    let current = alliance.status.as_str().to_string();
    let area = move |id: &'static str, label: &'static str, name: &'static str, v: String, rows: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <textarea id=id name=name rows=rows prop:value=FormValue(v.clone()) aria-describedby=format!("{id}-error")
                    aria-invalid=move || err(name)().is_some().to_string()>{textarea_text(&v)}</textarea>
                <p class="field-error" id=format!("{id}-error")>{err(name)}</p>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="alliance-edit-title">
            <h2 id="alliance-edit-title">"Change the alliance"</h2>
            <FormAlert result=result.into() fields=&["status", "products", "quantity", "delivery", "payment", "buyer_contribution", "business_plan"] />
            <ActionForm action=action attr:class="form" attr:id="alliance-form">
                <input type="hidden" name="id" value=alliance.id.clone() />
                <div class="field">
                    <label for="al-status">"Stage"</label>
                    <select id="al-status" name="status" aria-describedby="al-status-hint">
                        {AllianceStage::CHOICES.iter().filter(|(k, _)| alliance_moves(&current, k)).map(|(k, l)| {
                            let selected = *k == status;
                            view! { <option value=*k selected=selected>{*l}</option> }
                        }).collect_view()}
                    </select>
                    <p class="hint" id="al-status-hint">"An alliance moves forward through its stages, or ends."</p>
                    <p class="field-error">{err("status")}</p>
                </div>
                {area("al-products", "Products and characteristics", "products", products, "2")}
                <div class="field-row">
                    {area("al-quantity", "Quantity per period", "quantity", quantity, "2")}
                    {area("al-delivery", "Delivery and grading", "delivery", delivery, "2")}
                </div>
                <div class="field-row">
                    {area("al-payment", "Payment terms and price criteria", "payment", payment, "2")}
                    {area("al-contribution", "The buyer's contribution (technical assistance, inputs, pre-finance)", "buyer_contribution", contribution, "2")}
                </div>
                {area("al-plan", "Business plan (Markdown)", "business_plan", plan, "10")}
                <button type="submit" class="btn btn-primary">"Save the alliance"</button>
            </ActionForm>
        </section>
    }
}

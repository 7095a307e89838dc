//! Reading actors and relations from CSV files: which column is which (English or Portuguese
//! headers, case and accents ignored), each row checked as the API checks it, duplicates in the
//! file caught. What the database already holds is checked by the service.

use std::collections::HashMap;

use shared::{
    network::{from_spreadsheet, parse_members, split_list, ActorKind, NewActor, NewRelation, OrganicStatus, RelationKind},
    text::fold,
};

use super::csv_file::{column, LineError, Table};

/// The header names each actor field is read from.
const ACTOR_COLUMNS: [(&str, &[&str]); 14] = [
    ("name", &["name", "nome", "organisation", "organization", "organizacao", "actor"]),
    ("kind", &["kind", "type", "tipo", "categoria", "category"]),
    ("description", &["description", "descricao"]),
    ("country", &["country", "pais"]),
    ("state", &["state", "estado", "uf"]),
    ("municipality", &["municipality", "municipio", "city", "cidade"]),
    ("products", &["products", "produtos"]),
    ("organic_status", &["organic_status", "organic status", "status organico", "situacao organica"]),
    ("members", &["members", "membros", "socios", "associados"]),
    ("website", &["website", "site", "url"]),
    ("email", &["email", "e-mail"]),
    ("phone", &["phone", "telefone"]),
    ("tags", &["tags", "etiquetas"]),
    ("visibility", &["visibility", "visibilidade"]),
];

const RELATION_COLUMNS: [(&str, &[&str]); 7] = [
    ("from", &["from", "source", "de", "origem"]),
    ("to", &["to", "target", "para", "destino"]),
    ("kind", &["kind", "type", "tipo", "relation", "relacao"]),
    ("since", &["since", "desde", "inicio"]),
    ("until", &["until", "ate", "fim"]),
    ("note", &["note", "nota", "observacao"]),
    ("evidence", &["evidence", "evidencia", "fonte"]),
];

/// Which column each field is in; a file without one of the first `required` is refused.
fn columns<const N: usize>(
    headers: &[String],
    spec: &[(&'static str, &[&str]); N],
    required: usize,
) -> Result<HashMap<&'static str, usize>, LineError> {
    let col: HashMap<&'static str, usize> = spec.iter().filter_map(|(field, names)| column(headers, names).map(|i| (*field, i))).collect();
    match spec[..required].iter().find(|(field, _)| !col.contains_key(field)) {
        Some((field, names)) => Err(missing_column(field, names)),
        None => Ok(col),
    }
}

/// A cell of a row, trimmed and read as a spreadsheet writes it ("" when the column is absent).
fn cell<'r>(col: &HashMap<&'static str, usize>, fields: &'r csv::StringRecord, field: &str) -> &'r str {
    col.get(field).and_then(|&i| fields.get(i)).map(|s| from_spreadsheet(s.trim())).unwrap_or_default()
}

fn missing_column(field: &str, names: &[&str]) -> LineError {
    LineError { line: 1, message: format!("The file has no “{field}” column (the header may also call it {}).", names[1..].join(", ")) }
}

/// Portuguese names of the seeded kinds and statuses, as spreadsheets in Brazil write them
/// (folded): `(name, id)`.
const ALIASES: [(&str, &str); 40] = [
    ("cooperativa", "cooperative"),
    ("associacao de produtores", "producer_association"),
    ("associacao", "producer_association"),
    ("agente publico", "public_agent"),
    ("orgao publico", "public_agent"),
    ("instituicao financeira", "financial_institution"),
    ("banco", "financial_institution"),
    ("certificadora", "certification_body"),
    ("opac", "participatory_guarantee_body"),
    ("spg", "participatory_guarantee_body"),
    ("ocs", "social_control_organisation"),
    ("varejo", "retailer"),
    ("varejista", "retailer"),
    ("supermercado", "retailer"),
    ("industria de alimentos", "food_industry"),
    ("agroindustria", "food_industry"),
    ("prefeitura", "municipality"),
    ("municipio", "municipality"),
    ("grupo de consumo", "consumer_group"),
    ("pesquisa", "research"),
    ("universidade", "research"),
    ("ater", "technical_assistance"),
    ("ong", "ngo"),
    ("financiador", "funder"),
    ("convencional", "conventional"),
    ("em conversao", "in_conversion"),
    ("em transicao", "in_conversion"),
    ("certificado por auditoria", "certified_audit"),
    ("auditoria", "certified_audit"),
    ("garantia participativa", "participatory_guarantee"),
    ("sistema participativo", "participatory_guarantee"),
    ("controle social", "social_control"),
    ("venda direta", "social_control"),
    ("fornece", "supplies"),
    ("compra de", "buys_from"),
    ("financia", "finances"),
    ("certifica", "certifies"),
    ("assistencia tecnica", "provides_technical_assistance"),
    ("membro de", "member_of"),
    ("parceria", "partners_with"),
];

/// A value written as its id, its label or its Portuguese name, whatever the case and accents:
/// `cooperative`, `Cooperative`, `producer association`, `Cooperativa`.
fn lookup(value: &str, choices: &[(String, String)]) -> Option<String> {
    let v = fold(value).replace('_', " ");
    choices.iter().find(|(id, label)| fold(id).replace('_', " ") == v || fold(label) == v).map(|(id, _)| id.clone()).or_else(|| {
        ALIASES.iter().find(|(name, _)| *name == v).map(|(_, id)| id.to_string()).filter(|id| choices.iter().any(|(c, _)| c == id))
    })
}

/// The rows of a file that can be written, each with its line, and the rows refused; or the
/// reason the whole file is refused.
pub type Rows<T> = Result<(Vec<(u64, T)>, Vec<LineError>), LineError>;

/// Checks the rows of an actors file one at a time, as the API checks an actor, and catches a
/// name the file already had (only the folded names are kept, so a large file is checked as it
/// is read, not held whole).
pub struct ActorRows<'k> {
    col: HashMap<&'static str, usize>,
    kinds: &'k [ActorKind],
    kind_choices: Vec<(String, String)>,
    status_choices: Vec<(String, String)>,
    seen: HashMap<String, u64>,
}

impl<'k> ActorRows<'k> {
    /// A file without a name or kind column is refused as a whole.
    pub fn new(headers: &[String], kinds: &'k [ActorKind]) -> Result<Self, LineError> {
        Ok(ActorRows {
            col: columns(headers, &ACTOR_COLUMNS, 2)?,
            kinds,
            kind_choices: kinds.iter().map(|k| (k.id.clone(), k.label.clone())).collect(),
            status_choices: OrganicStatus::CHOICES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
            seen: HashMap::new(),
        })
    }

    /// The actor on line `line`, or why it is refused.
    pub fn check(&mut self, line: u64, fields: &csv::StringRecord) -> Result<NewActor, LineError> {
        let Self { col, kinds, kind_choices, status_choices, seen } = self;
        let cell = |f: &str| cell(col, fields, f);
        let opt = |f: &str| Some(cell(f).to_string()).filter(|s| !s.is_empty());
        let refuse = |message: String| LineError { line, message };
        let name = cell("name");
        if name.is_empty() {
            return Err(refuse("The name is missing.".into()));
        }
        let kind = match lookup(cell("kind"), kind_choices) {
            Some(k) => k,
            None if cell("kind").is_empty() => return Err(refuse(format!("“{name}”: the kind is missing."))),
            None => return Err(refuse(format!("“{name}”: “{}” is not a kind of actor.", cell("kind")))),
        };
        let organic_status = match opt("organic_status") {
            None => None,
            Some(s) => match lookup(&s, status_choices) {
                Some(s) => Some(s),
                None => return Err(refuse(format!("“{name}”: “{s}” is not an organic status."))),
            },
        };
        let members = parse_members(opt("members").as_deref()).map_err(|e| refuse(format!("“{name}”: {e}")))?;
        let visibility = opt("visibility").map(|v| match fold(&v).as_str() {
            "publico" | "publica" | "public" => "public".to_string(),
            "rede" | "network" => "network".to_string(),
            _ => v,
        });
        let actor = NewActor {
            name: name.to_string(),
            kind,
            description: cell("description").to_string(),
            country: opt("country"),
            state: opt("state"),
            municipality: opt("municipality"),
            products: split_list(cell("products")),
            organic_status,
            members,
            website: opt("website"),
            email: opt("email"),
            phone: opt("phone"),
            tags: split_list(cell("tags")),
            visibility,
        };
        let actor = actor.validate(kinds).map_err(|e| refuse(format!("“{name}”: {e}")))?;
        match seen.entry(fold(&actor.name)) {
            std::collections::hash_map::Entry::Occupied(first) => Err(refuse(format!("“{name}” is a duplicate of line {}.", first.get()))),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(line);
                Ok(actor)
            }
        }
    }
}

/// Checks the rows of a relations file one at a time. `from` and `to` name actors by id or by
/// name (case and accents ignored), resolved through `actor_ids` (folded name or id → id).
pub struct RelationRows<'k> {
    col: HashMap<&'static str, usize>,
    kinds: &'k [RelationKind],
    kind_choices: Vec<(String, String)>,
    actor_ids: &'k HashMap<String, String>,
    seen: HashMap<(String, String, String), u64>,
}

impl<'k> RelationRows<'k> {
    /// A file without a from, to or kind column is refused as a whole.
    pub fn new(headers: &[String], kinds: &'k [RelationKind], actor_ids: &'k HashMap<String, String>) -> Result<Self, LineError> {
        Ok(RelationRows {
            col: columns(headers, &RELATION_COLUMNS, 3)?,
            kinds,
            kind_choices: kinds.iter().map(|k| (k.id.clone(), k.label.clone())).collect(),
            actor_ids,
            seen: HashMap::new(),
        })
    }

    /// The relation on line `line`, or why it is refused.
    pub fn check(&mut self, line: u64, fields: &csv::StringRecord) -> Result<NewRelation, LineError> {
        let Self { col, kinds, kind_choices, actor_ids, seen } = self;
        let cell = |f: &str| cell(col, fields, f);
        let refuse = |message: String| LineError { line, message };
        let resolve = |f: &str| actor_ids.get(cell(f)).or_else(|| actor_ids.get(&fold(cell(f)))).cloned();
        let (from_name, to_name) = (cell("from"), cell("to"));
        if from_name.is_empty() || to_name.is_empty() {
            return Err(refuse(format!("The actor the relation goes {} is missing.", if from_name.is_empty() { "from" } else { "to" })));
        }
        let from = resolve("from").ok_or_else(|| refuse(format!("There is no actor “{from_name}” in the network.")))?;
        let to = resolve("to").ok_or_else(|| refuse(format!("There is no actor “{to_name}” in the network.")))?;
        let Some(kind) = lookup(cell("kind"), kind_choices) else {
            let k = cell("kind");
            return Err(refuse(if k.is_empty() {
                "The kind of relation is missing.".into()
            } else {
                format!("“{k}” is not a kind of relation.")
            }));
        };
        let relation = NewRelation {
            from,
            to,
            kind,
            since: Some(cell("since").to_string()),
            until: Some(cell("until").to_string()),
            note: cell("note").to_string(),
            evidence: cell("evidence").to_string(),
        };
        let relation = relation.validate(kinds).map_err(|e| refuse(format!("“{from_name}” → “{to_name}”: {e}")))?;
        let key = (relation.from.clone(), relation.to.clone(), relation.kind.clone());
        match seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) => {
                Err(refuse(format!("“{from_name}” → “{to_name}” ({}) is a duplicate of line {}.", relation.kind, first.get())))
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(line);
                Ok(relation)
            }
        }
    }
}

/// Every row of a table through a checker: the good ones with their lines, and the refused.
fn all_rows<T>(table: &Table, mut check: impl FnMut(u64, &csv::StringRecord) -> Result<T, LineError>) -> (Vec<(u64, T)>, Vec<LineError>) {
    let mut good = Vec::new();
    let mut errors = table.errors.clone();
    for (line, fields) in &table.rows {
        match check(*line, fields) {
            Ok(t) => good.push((*line, t)),
            Err(e) => errors.push(e),
        }
    }
    errors.sort_by_key(|e| e.line);
    (good, errors)
}

/// The rows of a whole actors file (see [`ActorRows`]).
pub fn actors(table: &Table, kinds: &[ActorKind]) -> Rows<NewActor> {
    let mut rows = ActorRows::new(&table.headers, kinds)?;
    Ok(all_rows(table, |line, fields| rows.check(line, fields)))
}

/// The rows of a whole relations file (see [`RelationRows`]).
pub fn relations(table: &Table, kinds: &[RelationKind], actor_ids: &HashMap<String, String>) -> Rows<NewRelation> {
    let mut rows = RelationRows::new(&table.headers, kinds, actor_ids)?;
    Ok(all_rows(table, |line, fields| rows.check(line, fields)))
}

#[cfg(test)]
mod tests {
    use super::super::csv_file::read;
    use super::*;
    use shared::network::{ACTOR_KINDS, RELATION_KINDS};

    fn kinds() -> Vec<ActorKind> {
        ACTOR_KINDS.iter().map(|(k, l)| ActorKind { id: k.to_string(), label: l.to_string(), producer: false, buyer: false }).collect()
    }

    fn relation_kinds() -> Vec<RelationKind> {
        RELATION_KINDS[..8].iter().map(|(k, l)| RelationKind { id: k.to_string(), label: l.to_string() }).collect()
    }

    #[test]
    fn reads_portuguese_headers_labels_and_lists() {
        let file = "Nome;Tipo;UF;Município;Produtos;Situação orgânica;Sócios\n\
                    Cooperativa Sabiá;Cooperativa;sc;Chapecó;mel, feijão;Em conversão;1.200\n\
                    Mercado Central;retailer;RS;;;;\n";
        let table = read(file.as_bytes()).unwrap();
        let (good, errors) = actors(&table, &kinds()).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        let (line, coop) = &good[0];
        assert_eq!(*line, 2);
        assert_eq!((coop.kind.as_str(), coop.state.as_deref(), coop.members), ("cooperative", Some("SC"), Some(1200)));
        assert_eq!(coop.products, vec!["mel", "feijão"]);
        assert_eq!(coop.organic_status.as_deref(), Some("in_conversion"));
        assert_eq!(good[1].1.kind, "retailer");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_reason() {
        let file = "name,kind,state,members\n\
                    ,cooperative,RS,\n\
                    Coop A,bank,RS,\n\
                    Coop B,cooperative,Rio,\n\
                    Coop C,cooperative,RS,many\n\
                    Coop D,cooperative,RS,10\n\
                    coop d,ngo,SC,\n\
                    Coop E,,RS,\n\
                    Coop F,ngo\n";
        let (good, errors) = actors(&read(file.as_bytes()).unwrap(), &kinds()).unwrap();
        assert_eq!(good.iter().map(|(l, a)| (*l, a.name.as_str())).collect::<Vec<_>>(), vec![(6, "Coop D")]);
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 7, 8, 9]);
        assert!(errors[0].message.contains("name is missing"), "{:?}", errors[0]);
        assert!(errors[1].message.contains("“bank” is not a kind"), "{:?}", errors[1]);
        assert!(errors[2].message.contains("state code"), "{:?}", errors[2]);
        assert!(errors[3].message.contains("not a whole number"), "{:?}", errors[3]);
        assert!(errors[4].message.contains("duplicate of line 6"), "{:?}", errors[4]);
        assert!(errors[5].message.contains("kind is missing"), "{:?}", errors[5]);
        assert!(errors[6].message.contains("fields"), "a short row: {:?}", errors[6]);
    }

    #[test]
    fn a_file_without_the_required_columns_is_refused_whole() {
        let e = actors(&read(b"nome,estado\nCoop,RS\n").unwrap(), &kinds()).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("“kind”"), "{e:?}");
        let e = relations(&read(b"from,kind\na,supplies\n").unwrap(), &relation_kinds(), &HashMap::new()).unwrap_err();
        assert!(e.message.contains("“to”"), "{e:?}");
    }

    #[test]
    fn relations_resolve_actors_by_name_or_id() {
        let ids: HashMap<String, String> = [
            ("cooperativa sabia".to_string(), "a1".to_string()),
            ("a1".into(), "a1".into()),
            ("mercado central".into(), "a2".into()),
            ("a2".into(), "a2".into()),
        ]
        .into();
        let file = "de;para;tipo;desde\n\
                    Cooperativa Sabiá;MERCADO CENTRAL;supplies;2021\n\
                    a2;a1;buys from;\n\
                    Cooperativa Sabiá;Ninguém;supplies;\n\
                    a1;a2;loves;\n\
                    a1;a2;supplies;\n\
                    a1;a1;partners_with;\n\
                    a1;a2;finances;2021-13\n";
        let (good, errors) = relations(&read(file.as_bytes()).unwrap(), &relation_kinds(), &ids).unwrap();
        let got: Vec<_> = good.iter().map(|(l, r)| (*l, r.from.as_str(), r.to.as_str(), r.kind.as_str())).collect();
        assert_eq!(got, vec![(2, "a1", "a2", "supplies"), (3, "a2", "a1", "buys_from")]);
        assert_eq!(good[0].1.since.as_deref(), Some("2021"));
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 7, 8]);
        assert!(errors[0].message.contains("no actor “Ninguém”"), "{:?}", errors[0]);
        assert!(errors[1].message.contains("not a kind of relation"), "{:?}", errors[1]);
        assert!(errors[2].message.contains("duplicate of line 2"), "{:?}", errors[2]);
    }
}

//! What the learner is told about the saved session, above the terminal: a problem with saving
//! (storage full, unavailable, blocked), and a saved session that could not be restored, with a
//! link to download it and a button to delete it.

use yew::prelude::*;

/// A saved session that could not be restored, ready to download.
#[derive(Debug, Clone, PartialEq)]
pub struct OldData {
    /// Why it was set aside (`None`: by an earlier visit).
    pub why: Option<String>,
    /// A `blob:` URL of its bytes.
    pub url: String,
    pub bytes: usize,
}

#[derive(Properties, PartialEq)]
pub struct StorageNoticeProps {
    pub problem: Option<String>,
    pub old_data: Option<OldData>,
    pub on_forget: Callback<()>,
}

/// The file name offered for the download.
pub const OLD_DATA_FILE: &str = "session-docker-ancienne.tar";

#[function_component(StorageNotice)]
pub fn storage_notice(props: &StorageNoticeProps) -> Html {
    let forget = {
        let cb = props.on_forget.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <>
            if let Some(problem) = &props.problem {
                <p class="storage-notice storage-problem" role="alert">{ problem }</p>
            }
            if let Some(old) = &props.old_data {
                <div class="storage-notice storage-old" role="status">
                    <p>
                        { old.why.clone().unwrap_or_else(|| "Une ancienne session enregistrée n'a pas pu être relue.".into()) }
                        { " Une nouvelle session a démarré\u{202f}; l'ancienne est conservée, vous pouvez la télécharger." }
                    </p>
                    <p class="storage-actions">
                        <a href={old.url.clone()} download={OLD_DATA_FILE}>
                            { format!("Télécharger l'ancienne session ({} Ko)", old.bytes.div_ceil(1024)) }
                        </a>
                        <button type="button" onclick={forget}>{ "Supprimer l'ancienne session" }</button>
                    </p>
                </div>
            }
        </>
    }
}

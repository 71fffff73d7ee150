//! The dashboard's interface words in English and Russian: [`WORDS`] by key, looked up
//! with `Ui::t` (and `Ui::fill` for a word with a value in its `{}`), and [`NAMES`], the
//! words for values talentd shows (statuses, skills, culture dimensions, the OCP
//! statements), looked up with `Ui::name`.
//!
//! To add a word: put `("key", "English", "Russian")` in [`WORDS`] and write
//! `ui.t("key")` in the page. The tests below fail on a `t("…")` or `fill("…")` whose key
//! is missing, on an empty or non-Cyrillic Russian, and on a key given twice.

/// Interface words: key, English, Russian.
pub const WORDS: &[(&str, &str, &str)] = &[
    // The page shell.
    ("projects", "Projects", "Проекты"),
    ("interviews", "Interviews", "Интервью"),
    ("culture", "Culture", "Культура"),
    ("settings", "Settings", "Настройки"),
    ("sign_out", "Sign out", "Выйти"),
    ("nav_main", "Main", "Основное меню"),
    ("my_account", "My account", "Мой профиль"),
    ("back", "Back", "Назад"),
    (
        "not_found",
        "This page does not exist, or it belongs to another organisation.",
        "Такой страницы нет, или она принадлежит другой организации.",
    ),
    (
        "forbidden",
        "Forbidden: reload the page and try again.",
        "Доступ запрещён: обновите страницу и повторите попытку.",
    ),
    ("check_field", "Check “{}”.", "Проверьте поле «{}»."),
    (
        "request_refused",
        "The request was refused.",
        "Запрос отклонён.",
    ),
    ("error", "error", "ошибка"),
    // Fairness and oversight.
    ("fairness", "Fairness", "Справедливость"),
    ("project", "Project", "Проект"),
    ("all_projects", "All projects", "Все проекты"),
    ("show", "Show", "Показать"),
    (
        "adverse_impact",
        "Adverse impact",
        "Неблагоприятное воздействие",
    ),
    (
        "adverse_impact_help",
        "Selection and scoring rates by the candidates' voluntary answers about sex and race/ethnicity. An impact ratio below 0.80 (the four-fifths rule) is worth examining; it is not proof of discrimination, and small groups vary by chance. Candidates who did not answer are counted as unknown; groups under 2% are shown but not rated.",
        "Доли отобранных и набравших высокий балл по добровольным ответам кандидатов о поле и расе/этнической принадлежности. Коэффициент ниже 0,80 (правило четырёх пятых) стоит изучить; это не доказательство дискриминации, а малые группы колеблются случайно. Не ответившие учитываются как «неизвестно»; группы меньше 2% показаны, но не оцениваются.",
    ),
    ("candidates_counted", "{} candidates", "Кандидатов: {}"),
    (
        "reported_demographics",
        "{} answered the voluntary questions",
        "Ответили на добровольные вопросы: {}",
    ),
    (
        "no_adverse_impact",
        "No group's impact ratio is below four-fifths.",
        "Ни у одной группы коэффициент не ниже четырёх пятых.",
    ),
    (
        "flags_found",
        "Impact ratios below four-fifths: {}. Look at the rows marked below.",
        "Коэффициентов ниже четырёх пятых: {}. Смотрите отмеченные строки.",
    ),
    ("download_csv", "Download CSV", "Скачать CSV"),
    (
        "printable_summary",
        "Printable summary",
        "Версия для печати",
    ),
    (
        "ai_selection",
        "Selected by the AI (recommended or better)",
        "Отобраны ИИ (рекомендован и выше)",
    ),
    (
        "human_selection",
        "Selected by recruiters' decisions",
        "Отобраны решениями рекрутеров",
    ),
    (
        "scoring_rate",
        "Scoring above the median match",
        "Соответствие выше медианы",
    ),
    ("category", "Group", "Группа"),
    ("positive", "Selected / above", "Отобрано / выше"),
    ("rate", "Rate", "Доля"),
    ("impact_ratio", "Impact ratio", "Коэффициент"),
    ("below_four_fifths", "below 4/5", "ниже 4/5"),
    (
        "under_two_percent",
        "under 2%: not rated",
        "меньше 2%: не оценивается",
    ),
    ("unknown", "Unknown", "Неизвестно"),
    ("ai_agreement", "Recruiters and the AI", "Рекрутеры и ИИ"),
    (
        "agreement_help",
        "How often recruiters' recorded decisions keep the AI's recommendation. Every decision is kept with its reason.",
        "Как часто записанные решения рекрутеров совпадают с рекомендацией ИИ. Каждое решение хранится с причиной.",
    ),
    ("decisions", "Decisions", "Решений"),
    (
        "same_level",
        "Same level as the AI",
        "Тот же уровень, что у ИИ",
    ),
    (
        "same_side",
        "Same side of “recommended”",
        "По ту же сторону от «рекомендован»",
    ),
    (
        "human_higher",
        "Rated higher by a person",
        "Человек оценил выше",
    ),
    (
        "human_lower",
        "Rated lower by a person",
        "Человек оценил ниже",
    ),
    (
        "candidate_requests",
        "Candidates' requests",
        "Запросы кандидатов",
    ),
    (
        "no_open_requests",
        "No open requests.",
        "Открытых запросов нет.",
    ),
    ("interview", "Interview", "Интервью"),
    ("mark_resolved", "Mark as handled", "Отметить выполненным"),
    // Sign-in.
    ("sign_in", "Sign in", "Войти"),
    ("email", "Email", "Эл. почта"),
    ("password", "Password", "Пароль"),
    (
        "bad_sign_in",
        "Wrong email or password.",
        "Неверный адрес эл. почты или пароль.",
    ),
    (
        "too_many",
        "Too many attempts. Wait a minute and try again.",
        "Слишком много попыток. Подождите минуту и повторите.",
    ),
    (
        "sign_in_intro",
        "Sign in to your organisation's talentd dashboard.",
        "Войдите в панель talentd вашей организации.",
    ),
    // Projects.
    ("no_projects", "No projects yet.", "Проектов пока нет."),
    ("new_project", "New project", "Новый проект"),
    ("name", "Name", "Название"),
    ("status", "Status", "Статус"),
    ("sessions", "Sessions", "Сессии"),
    ("created", "Created", "Создано"),
    ("interview_link", "Interview link", "Ссылка на интервью"),
    (
        "position_or_project",
        "Position or project",
        "Должность или проект",
    ),
    (
        "company_shown",
        "Company (shown to candidates)",
        "Компания (её видят кандидаты)",
    ),
    (
        "instructions_for_tami",
        "Instructions for Tami",
        "Инструкции для Тами",
    ),
    (
        "instructions_help",
        "Tami asks questions (ending in ?) verbatim and turns topics (\"ask about teamwork\") into questions.",
        "Вопросы (со знаком ?) Тами задаст дословно, а темы («спросите о работе в команде») превратит в вопросы.",
    ),
    ("question_template", "Question template", "Шаблон вопросов"),
    (
        "link_closes",
        "Link closes at (UTC)",
        "Ссылка действует до (UTC)",
    ),
    ("most_sessions", "Most sessions", "Максимум сессий"),
    (
        "competency_weights",
        "Competency weights of the match score",
        "Веса компетенций в оценке соответствия",
    ),
    (
        "weights_help",
        "Leave all blank to derive them from the template and instructions.",
        "Оставьте пустыми, чтобы веса вывелись из шаблона и инструкций.",
    ),
    ("create_project", "Create the project", "Создать проект"),
    ("saved", "Saved.", "Сохранено."),
    ("copied", "Copied", "Скопировано"),
    ("copy_link", "Copy the link", "Копировать ссылку"),
    ("open", "Open", "Открыть"),
    (
        "ats_help",
        "For an ATS: add ?candidate_id=…&name=…&email=… to fill the form in.",
        "Для ATS: добавьте ?candidate_id=…&name=…&email=…, и поля формы будут заполнены.",
    ),
    ("close_project", "Close the project", "Закрыть проект"),
    ("no_sessions", "No sessions yet.", "Сессий пока нет."),
    ("candidate", "Candidate", "Кандидат"),
    ("candidates", "Candidates", "Кандидаты"),
    ("match", "Match", "Соответствие"),
    ("started", "Started", "Начало"),
    ("report", "Report", "Отчёт"),
    ("edit_project", "Edit the project", "Настройки проекта"),
    ("save", "Save", "Сохранить"),
    // Interviews.
    ("any", "Any", "Все"),
    ("source", "Source", "Источник"),
    ("filter", "Filter", "Показать"),
    ("no_interviews", "No interviews.", "Интервью не найдены."),
    ("compare", "Compare", "Сравнить"),
    ("compare_one", "Compare {}", "Сравнить: {}"),
    (
        "compare_selected",
        "Compare the selected candidates",
        "Сравнить выбранных",
    ),
    ("found", "{} in all", "Всего: {}"),
    ("previous_page", "Previous page", "Предыдущая страница"),
    ("next_page", "Next page", "Следующая страница"),
    (
        "upload_transcript",
        "Upload a transcript",
        "Загрузить расшифровку",
    ),
    ("candidate_id", "Candidate id", "ID кандидата"),
    ("candidate_name", "Candidate name", "Имя кандидата"),
    (
        "vacancy_or_project",
        "Vacancy or project (prj_…)",
        "Вакансия или проект (prj_…)",
    ),
    (
        "transcript_lines",
        "Transcript (\"Interviewer: …\" / \"Candidate: …\" lines, WebVTT or SRT)",
        "Расшифровка (строки «Interviewer: …» / «Candidate: …», WebVTT или SRT)",
    ),
    (
        "upload_and_analyse",
        "Upload and analyse",
        "Загрузить и проанализировать",
    ),
    (
        "upload_file",
        "Upload a recording or a transcript file",
        "Загрузить запись или файл расшифровки",
    ),
    (
        "recording_formats",
        "Recording (mp3, m4a, mp4, wav, ogg, webm)",
        "Запись (mp3, m4a, mp4, wav, ogg, webm)",
    ),
    (
        "or_transcript_file",
        "…or a transcript file (.txt, .vtt, .srt, .json)",
        "…или файл расшифровки (.txt, .vtt, .srt, .json)",
    ),
    ("upload", "Upload", "Загрузить"),
    (
        "upload_refused",
        "The upload was refused",
        "Загрузка отклонена",
    ),
    ("transcript", "Transcript", "Расшифровка"),
    ("recording", "Recording", "Запись"),
    // The candidate page.
    ("printable_report", "Printable report", "Отчёт для печати"),
    (
        "explanation_for_candidate",
        "Explanation for the candidate",
        "Объяснение для кандидата",
    ),
    (
        "explanation_intro",
        "How the result came about, in plain language, to send to the candidate on request.",
        "Как был получен результат, простыми словами: можно отправить кандидату по его запросу.",
    ),
    (
        "revoke_report_link",
        "Revoke the report link (issue a new one)",
        "Отозвать ссылку на отчёт (выдать новую)",
    ),
    ("analysing", "Analysing: {}", "Идёт анализ: {}"),
    (
        "analysis_failed",
        "The analysis failed.",
        "Анализ не удался.",
    ),
    ("ai_recommendation", "AI recommendation", "Рекомендация ИИ"),
    (
        "recruiters_decision",
        "Recruiter's decision",
        "Решение рекрутера",
    ),
    ("scores_by_skill", "Scores by skill", "Оценки по навыкам"),
    (
        "scores_and_quotes",
        "Scores and the quotes behind them",
        "Оценки и подтверждающие цитаты",
    ),
    ("confidence", "confidence {}", "уверенность {}"),
    ("raised", "Raises the score", "Повышает оценку"),
    ("lowered", "Lowers the score", "Понижает оценку"),
    ("strengths", "Strengths", "Сильные стороны"),
    ("risks", "Risks", "Риски"),
    ("culture_fit", "Culture fit", "Соответствие культуре"),
    (
        "culture_fit_of",
        "Culture fit: {}",
        "Соответствие культуре: {}",
    ),
    ("company", "Company", "Компания"),
    ("where_they_agree", "Where they agree", "Совпадает"),
    (
        "worth_a_conversation",
        "Worth a conversation",
        "Стоит обсудить",
    ),
    (
        "fit_chart",
        "Culture dimensions: company and candidate",
        "Измерения культуры: компания и кандидат",
    ),
    ("your_decision", "Your decision", "Ваше решение"),
    (
        "decision_help",
        "The AI only advises. Your decision and its reason are kept in an audit trail and shown in the API beside the AI's recommendation.",
        "ИИ лишь советует. Ваше решение и его причина сохраняются в журнале и видны в API рядом с рекомендацией ИИ.",
    ),
    ("recommendation", "Recommendation", "Рекомендация"),
    ("reason", "Reason", "Причина"),
    (
        "record_decision",
        "Record the decision",
        "Сохранить решение",
    ),
    ("audit_trail", "Audit trail", "Журнал решений"),
    ("interviewer", "Interviewer", "Интервьюер"),
    (
        "nothing_to_decide",
        "The interview has no analysis to decide on yet.",
        "У интервью ещё нет анализа, по которому можно принять решение.",
    ),
    (
        "decision_needs",
        "Choose a recommendation and give a reason (at most {} characters).",
        "Выберите рекомендацию и укажите причину (не более {} символов).",
    ),
    // Comparing candidates.
    (
        "compare_candidates",
        "Compare candidates",
        "Сравнение кандидатов",
    ),
    ("rank_by", "Rank by", "Ранжировать по"),
    // The culture profile.
    (
        "culture_dimensions",
        "Culture dimensions",
        "Измерения культуры",
    ),
    (
        "no_profile_yet",
        "No profile yet: a neutral one is shown.",
        "Профиль ещё не задан: показан нейтральный.",
    ),
    ("raters", "{} rater(s)", "Оценщиков: {}"),
    ("agreement", "agreement {}", "согласованность {}"),
    ("your_sort", "Your sort", "Ваша сортировка"),
    (
        "sort_help",
        "Place the 54 statements in nine piles: 9 is most characteristic of your company, 1 least. Each pile takes exactly the number shown.",
        "Разложите 54 утверждения по девяти стопкам: 9 — больше всего про вашу компанию, 1 — меньше всего. В каждой стопке должно быть ровно столько утверждений, сколько указано.",
    ),
    (
        "piles",
        "Each column: a pile, how many statements it holds now, and how many it takes.",
        "В каждом столбце: стопка, сколько в ней утверждений сейчас и сколько должно быть.",
    ),
    (
        "replace_sorts",
        "Replace every earlier sort with mine",
        "Заменить все прежние сортировки моей",
    ),
    ("save_sort", "Save my sort", "Сохранить сортировку"),
    (
        "needs_a_pile",
        "“{}” needs a pile from 1 to 9.",
        "Для «{}» выберите стопку от 1 до 9.",
    ),
    // The account page.
    (
        "interface_language",
        "Interface language",
        "Язык интерфейса",
    ),
    ("as_the_browser", "As the browser says", "Как в браузере"),
    ("current_password", "Current password", "Текущий пароль"),
    (
        "new_password",
        "New password ({} characters or more)",
        "Новый пароль (не короче {} символов)",
    ),
    ("change_password", "Change the password", "Сменить пароль"),
    (
        "current_password_wrong",
        "The current password is wrong.",
        "Текущий пароль неверен.",
    ),
    (
        "password_too_short",
        "The password must have at least {} characters.",
        "Пароль должен быть не короче {} символов.",
    ),
    (
        "password_too_long",
        "The password must have at most {} characters.",
        "Пароль должен быть не длиннее {} символов.",
    ),
    // Settings.
    (
        "shown_only_now",
        "shown only now; store it safely.",
        "показывается только сейчас, сохраните его в надёжном месте.",
    ),
    ("api_keys", "API keys", "API-ключи"),
    ("api_key", "API key", "API-ключ"),
    ("key", "Key", "Ключ"),
    ("last_used", "Last used", "Последнее использование"),
    ("actions", "Actions", "Действия"),
    ("key_active", "active", "активен"),
    ("key_revoked", "revoked", "отозван"),
    ("rotate", "Rotate", "Заменить"),
    ("revoke", "Revoke", "Отозвать"),
    ("create_key", "Create a key", "Создать ключ"),
    (
        "rotate_failed",
        "The key could not be replaced; reload the page and try again.",
        "Не удалось заменить ключ: обновите страницу и повторите попытку.",
    ),
    ("webhooks", "Webhooks", "Вебхуки"),
    ("webhook", "Webhook", "Вебхук"),
    (
        "webhook_secret",
        "Webhook signing secret",
        "Секрет подписи вебхука",
    ),
    ("url", "URL", "Адрес (URL)"),
    ("events", "Events", "События"),
    ("add_webhook", "Add the webhook", "Добавить вебхук"),
    ("users", "Users", "Пользователи"),
    ("role", "Role", "Роль"),
    ("role_of", "Role of {}", "Роль: {}"),
    ("last_sign_in", "Last sign-in", "Последний вход"),
    ("remove", "Remove", "Удалить"),
    ("add_user", "Add a user", "Добавить пользователя"),
    (
        "one_time_password",
        "One-time password",
        "Одноразовый пароль",
    ),
    (
        "not_an_email",
        "That is not an email address.",
        "Это не адрес электронной почты.",
    ),
    (
        "user_taken",
        "A user with this email already exists.",
        "Пользователь с таким адресом уже есть.",
    ),
    (
        "password_refused",
        "The password was refused.",
        "Пароль не подходит.",
    ),
    (
        "not_yourself",
        "You cannot change your own role or account here.",
        "Здесь нельзя менять собственную роль или удалять свою учётную запись.",
    ),
    ("unknown_role", "Unknown role.", "Неизвестная роль."),
    (
        "send_test_event",
        "Send a test event",
        "Отправить тестовое событие",
    ),
    ("verify_again", "Verify again", "Проверить снова"),
    ("deliveries", "Deliveries", "Доставки"),
    ("event", "Event", "Событие"),
    ("attempts", "Attempts", "Попытки"),
    ("next_attempt", "Next attempt", "Следующая попытка"),
    ("retry", "Retry", "Повторить"),
    ("ms", "{} ms", "{} мс"),
    // Erasure and retention.
    (
        "erase_candidate",
        "Delete candidate's data",
        "Удалить данные кандидата",
    ),
    (
        "erase_help",
        "Deletes everything about this candidate, in every project: interviews, transcripts, recordings, scores, reports, decisions and the events that name them. Only a receipt that does not name the candidate is kept. This cannot be undone.",
        "Удаляет всё об этом кандидате во всех проектах: интервью, расшифровки, записи, оценки, отчёты, решения и события, где он упомянут. Остаётся только квитанция, в которой кандидат не назван. Отменить удаление нельзя.",
    ),
    (
        "erase_confirm",
        "I understand that this cannot be undone",
        "Я понимаю, что это нельзя отменить",
    ),
    (
        "erase_needs_confirm",
        "Tick the box to confirm the deletion.",
        "Отметьте флажок, чтобы подтвердить удаление.",
    ),
    (
        "erased_title",
        "Candidate's data deleted",
        "Данные кандидата удалены",
    ),
    (
        "erased_body",
        "The candidate is gone from every page and from the API. Their recordings and all remaining records are deleted by {} UTC at the latest.",
        "Кандидат исчез со всех страниц и из API. Записи и все остальные данные о нём будут удалены не позднее {} UTC.",
    ),
    ("erasure_receipt", "Receipt", "Квитанция"),
    (
        "retention",
        "Retention of candidates' data",
        "Срок хранения данных кандидатов",
    ),
    (
        "retention_help",
        "Candidates whose newest interview is older than this many days are deleted automatically, as with the button on the candidate page. Leave empty to keep them until deleted.",
        "Кандидаты, чьё последнее интервью старше этого числа дней, удаляются автоматически, как кнопкой на странице кандидата. Оставьте пустым, чтобы хранить до удаления вручную.",
    ),
    ("retention_days", "Days (1–3650)", "Дней (1–3650)"),
    (
        "retention_invalid",
        "The retention must be 1 to 3650 days, or empty.",
        "Срок хранения — от 1 до 3650 дней или пусто.",
    ),
    // The audit log.
    ("audit_log", "Audit log", "Журнал действий"),
    (
        "audit_intro",
        "Who did what and when: every change made through the API or the dashboard. Entries are never changed or removed.",
        "Кто, что и когда сделал: каждое изменение через API или панель. Записи никогда не изменяются и не удаляются.",
    ),
    ("audit_actor", "Who", "Кто"),
    ("audit_action", "Action", "Действие"),
    ("audit_target", "Object", "Объект"),
    ("audit_when", "When (UTC)", "Когда (UTC)"),
    ("audit_no_events", "No entries yet.", "Записей пока нет."),
];

/// Names of values: kind, value, English, Russian.
pub const NAMES: &[(&str, &str, &str, &str)] = &[
    // `talentd_core::demographics`: voluntary answers, only ever counted.
    ("demographic", "female", "Female", "Женщины"),
    ("demographic", "male", "Male", "Мужчины"),
    (
        "demographic",
        "hispanic_or_latino",
        "Hispanic or Latino",
        "Латиноамериканцы",
    ),
    ("demographic", "white", "White", "Белые"),
    (
        "demographic",
        "black_or_african_american",
        "Black or African American",
        "Темнокожие / афроамериканцы",
    ),
    (
        "demographic",
        "native_hawaiian_or_other_pacific_islander",
        "Native Hawaiian or Other Pacific Islander",
        "Коренные жители Гавайев и островов Тихого океана",
    ),
    ("demographic", "asian", "Asian", "Азиаты"),
    (
        "demographic",
        "american_indian_or_alaska_native",
        "American Indian or Alaska Native",
        "Коренные жители Америки и Аляски",
    ),
    (
        "demographic",
        "two_or_more_races",
        "Two or more races",
        "Две расы и более",
    ),
    ("grouping", "sex", "By sex", "По полу"),
    (
        "grouping",
        "race_ethnicity",
        "By race/ethnicity",
        "По расе/этнической принадлежности",
    ),
    (
        "grouping",
        "intersectional",
        "By sex and race/ethnicity",
        "По полу и расе/этнической принадлежности",
    ),
    (
        "request_kind",
        "deletion",
        "Delete my data",
        "Удалить мои данные",
    ),
    (
        "request_kind",
        "human_alternative",
        "Interview with a person",
        "Интервью с человеком",
    ),
    // `talentd_core::project::ProjectStatus`.
    ("project_status", "active", "active", "активен"),
    ("project_status", "completed", "completed", "завершён"),
    ("project_status", "expired", "expired", "истёк"),
    // `talentd_core::interview::InterviewStatus`.
    ("interview_status", "in_progress", "In progress", "Идёт"),
    ("interview_status", "processing", "Processing", "Обработка"),
    ("interview_status", "completed", "Completed", "Завершено"),
    ("interview_status", "failed", "Failed", "Ошибка"),
    ("interview_status", "abandoned", "Abandoned", "Прервано"),
    // `talentd_core::interview::Stage`.
    ("stage", "queued", "queued", "в очереди"),
    (
        "stage",
        "fetching",
        "fetching the recording",
        "загрузка записи",
    ),
    ("stage", "decoding", "decoding", "декодирование"),
    (
        "stage",
        "transcribing",
        "transcribing",
        "распознавание речи",
    ),
    ("stage", "analyzing", "analysing", "анализ"),
    // `talentd_core::interview::InterviewSource`.
    ("source", "live", "Live with Tami", "Интервью с Тами"),
    ("source", "upload", "Upload", "Загрузка"),
    // `talentd_core::user::Role`.
    ("role", "admin", "admin", "администратор"),
    ("role", "recruiter", "recruiter", "рекрутер"),
    // `talentd_core::audit::ActorType`.
    ("actor_type", "api_key", "API key", "API-ключ"),
    ("actor_type", "user", "user", "пользователь"),
    ("actor_type", "candidate", "candidate", "кандидат"),
    ("actor_type", "system", "talentd", "система talentd"),
    // `talentd_analysis::Recommendation`, as stored.
    (
        "recommendation",
        "strongly_recommended",
        "Strongly recommended",
        "Настоятельно рекомендуется",
    ),
    (
        "recommendation",
        "recommended",
        "Recommended",
        "Рекомендуется",
    ),
    ("recommendation", "consider", "Consider", "Рассмотреть"),
    (
        "recommendation",
        "not_recommended",
        "Not recommended",
        "Не рекомендуется",
    ),
    // `talentd_core::template::Competency`.
    ("skill", "leadership", "Leadership", "Лидерство"),
    ("skill", "communication", "Communication", "Коммуникация"),
    ("skill", "empathy", "Empathy", "Эмпатия"),
    ("skill", "logic", "Logic", "Логика"),
    ("skill", "planning", "Planning", "Планирование"),
    (
        "skill",
        "stress_tolerance",
        "Stress tolerance",
        "Стрессоустойчивость",
    ),
    // The built-in question templates.
    (
        "template",
        "tpl_software_engineer",
        "Software engineer",
        "Инженер-программист",
    ),
    ("template", "tpl_sales", "Sales", "Продажи"),
    (
        "template",
        "tpl_customer_support",
        "Customer support",
        "Поддержка клиентов",
    ),
    (
        "template",
        "tpl_project_manager",
        "Project manager",
        "Руководитель проектов",
    ),
    // Webhook endpoints and deliveries (`talentd_store::webhook_status`, `delivery_status`).
    ("webhook_status", "active", "active", "активен"),
    (
        "webhook_status",
        "pending_verification",
        "pending verification",
        "ожидает проверки",
    ),
    ("webhook_status", "disabled", "disabled", "отключён"),
    ("delivery_status", "pending", "pending", "в очереди"),
    ("delivery_status", "delivered", "delivered", "доставлено"),
    ("delivery_status", "failed", "failed", "ошибка"),
    // `talentd_analysis::culture::Dimension` (English as its `label()`).
    (
        "dimension",
        "innovation",
        "Innovation and risk-taking",
        "Инновации и готовность к риску",
    ),
    (
        "dimension",
        "stability",
        "Stability and predictability",
        "Стабильность и предсказуемость",
    ),
    (
        "dimension",
        "people",
        "Respect for people",
        "Уважение к людям",
    ),
    (
        "dimension",
        "results",
        "Outcome orientation",
        "Ориентация на результат",
    ),
    (
        "dimension",
        "detail",
        "Attention to detail",
        "Внимание к деталям",
    ),
    ("dimension", "team", "Team orientation", "Командная работа"),
    (
        "dimension",
        "competitiveness",
        "Competitiveness and drive",
        "Конкурентность и напористость",
    ),
    // The 54 OCP statements (English as `talentd_analysis::culture::items()`).
    ("ocp", "ocp_01", "Flexibility", "Гибкость"),
    ("ocp", "ocp_02", "Adaptability", "Адаптивность"),
    ("ocp", "ocp_03", "Stability", "Стабильность"),
    ("ocp", "ocp_04", "Predictability", "Предсказуемость"),
    ("ocp", "ocp_05", "Being innovative", "Инновационность"),
    (
        "ocp",
        "ocp_06",
        "Being quick to take advantage of opportunities",
        "Умение быстро пользоваться возможностями",
    ),
    (
        "ocp",
        "ocp_07",
        "A willingness to experiment",
        "Готовность экспериментировать",
    ),
    ("ocp", "ocp_08", "Risk taking", "Готовность рисковать"),
    ("ocp", "ocp_09", "Being careful", "Осмотрительность"),
    ("ocp", "ocp_10", "Autonomy", "Самостоятельность"),
    (
        "ocp",
        "ocp_11",
        "Being rule oriented",
        "Следование правилам",
    ),
    ("ocp", "ocp_12", "Being analytical", "Аналитический подход"),
    (
        "ocp",
        "ocp_13",
        "Paying attention to detail",
        "Внимание к деталям",
    ),
    ("ocp", "ocp_14", "Being precise", "Точность"),
    (
        "ocp",
        "ocp_15",
        "Being team oriented",
        "Ориентация на команду",
    ),
    (
        "ocp",
        "ocp_16",
        "Sharing information freely",
        "Открытый обмен информацией",
    ),
    (
        "ocp",
        "ocp_17",
        "Emphasizing a single culture throughout the organization",
        "Единая культура во всей организации",
    ),
    (
        "ocp",
        "ocp_18",
        "Being people oriented",
        "Ориентация на людей",
    ),
    ("ocp", "ocp_19", "Fairness", "Справедливость"),
    (
        "ocp",
        "ocp_20",
        "Respect for the individual's rights",
        "Уважение к правам личности",
    ),
    ("ocp", "ocp_21", "Tolerance", "Терпимость"),
    ("ocp", "ocp_22", "Informality", "Неформальность"),
    ("ocp", "ocp_23", "Being easy going", "Непринуждённость"),
    ("ocp", "ocp_24", "Being calm", "Спокойствие"),
    ("ocp", "ocp_25", "Being supportive", "Готовность поддержать"),
    ("ocp", "ocp_26", "Being aggressive", "Напористость"),
    ("ocp", "ocp_27", "Decisiveness", "Решительность"),
    (
        "ocp",
        "ocp_28",
        "Action orientation",
        "Ориентация на действие",
    ),
    ("ocp", "ocp_29", "Taking initiative", "Инициативность"),
    ("ocp", "ocp_30", "Being reflective", "Вдумчивость"),
    (
        "ocp",
        "ocp_31",
        "Achievement orientation",
        "Ориентация на достижения",
    ),
    ("ocp", "ocp_32", "Being demanding", "Требовательность"),
    (
        "ocp",
        "ocp_33",
        "Taking individual responsibility",
        "Личная ответственность",
    ),
    (
        "ocp",
        "ocp_34",
        "Having high expectations for performance",
        "Высокие требования к результатам работы",
    ),
    (
        "ocp",
        "ocp_35",
        "Opportunities for professional growth",
        "Возможности профессионального роста",
    ),
    (
        "ocp",
        "ocp_36",
        "High pay for good performance",
        "Высокая оплата за хорошую работу",
    ),
    (
        "ocp",
        "ocp_37",
        "Security of employment",
        "Гарантия занятости",
    ),
    (
        "ocp",
        "ocp_38",
        "Offers praise for good performance",
        "Похвала за хорошую работу",
    ),
    (
        "ocp",
        "ocp_39",
        "Low level of conflict",
        "Низкий уровень конфликтов",
    ),
    (
        "ocp",
        "ocp_40",
        "Confronting conflict directly",
        "Открытое разрешение конфликтов",
    ),
    (
        "ocp",
        "ocp_41",
        "Developing friends at work",
        "Дружеские отношения на работе",
    ),
    ("ocp", "ocp_42", "Fitting in", "Умение влиться в коллектив"),
    (
        "ocp",
        "ocp_43",
        "Working in collaboration with others",
        "Совместная работа с другими",
    ),
    (
        "ocp",
        "ocp_44",
        "Enthusiasm for the job",
        "Увлечённость работой",
    ),
    ("ocp", "ocp_45", "Working long hours", "Долгий рабочий день"),
    (
        "ocp",
        "ocp_46",
        "Not being constrained by many rules",
        "Свобода от лишних правил",
    ),
    (
        "ocp",
        "ocp_47",
        "An emphasis on quality",
        "Упор на качество",
    ),
    (
        "ocp",
        "ocp_48",
        "Being distinctive / different from others",
        "Непохожесть на других",
    ),
    (
        "ocp",
        "ocp_49",
        "Having a good reputation",
        "Хорошая репутация",
    ),
    (
        "ocp",
        "ocp_50",
        "Being socially responsible",
        "Социальная ответственность",
    ),
    (
        "ocp",
        "ocp_51",
        "Being results oriented",
        "Ориентация на результат",
    ),
    (
        "ocp",
        "ocp_52",
        "Having a clear guiding philosophy",
        "Ясные руководящие принципы",
    ),
    ("ocp", "ocp_53", "Being competitive", "Дух соперничества"),
    (
        "ocp",
        "ocp_54",
        "Being highly organized",
        "Высокая организованность",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every dashboard source file but this one, by name.
    const SOURCES: &[(&str, &str)] = &[
        ("account_page.rs", include_str!("account_page.rs")),
        ("audit_page.rs", include_str!("audit_page.rs")),
        ("compare_page.rs", include_str!("compare_page.rs")),
        ("reports_page.rs", include_str!("reports_page.rs")),
        ("culture_page.rs", include_str!("culture_page.rs")),
        ("erasure_page.rs", include_str!("erasure_page.rs")),
        ("interview_pages.rs", include_str!("interview_pages.rs")),
        ("layout.rs", include_str!("layout.rs")),
        ("mod.rs", include_str!("mod.rs")),
        ("password.rs", include_str!("password.rs")),
        ("project_pages.rs", include_str!("project_pages.rs")),
        ("projects.rs", include_str!("projects.rs")),
        ("session.rs", include_str!("session.rs")),
        ("settings_pages.rs", include_str!("settings_pages.rs")),
        ("signin.rs", include_str!("signin.rs")),
    ];

    /// The first literal argument of every `.{call}("…"` in `source`.
    fn literal_args<'a>(source: &'a str, call: &str) -> Vec<&'a str> {
        let open = format!(".{call}(\"");
        source
            .match_indices(&open)
            .filter_map(|(at, _)| {
                let rest = &source[at + open.len()..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    fn word(key: &str) -> Option<(&'static str, &'static str)> {
        WORDS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, en, ru)| (*en, *ru))
    }

    fn cyrillic(s: &str) -> bool {
        s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    }

    /// What is wrong with the keys `sources` use: one line per problem.
    fn problems(sources: &[(&str, &str)]) -> Vec<String> {
        let mut out = Vec::new();
        for (file, source) in sources {
            for (call, placeholder) in [("t", false), ("fill", true)] {
                for key in literal_args(source, call) {
                    match word(key) {
                        None => out.push(format!("{file}: `{call}(\"{key}\")` is not in WORDS")),
                        Some((_, "")) => out.push(format!("{file}: \"{key}\" has no Russian")),
                        Some((en, ru))
                            if placeholder && !(en.contains("{}") && ru.contains("{}")) =>
                        {
                            out.push(format!("{file}: \"{key}\" is filled but lacks a {{}}"));
                        }
                        Some(_) => {}
                    }
                }
            }
            for kind in literal_args(source, "name") {
                if !NAMES.iter().any(|(k, _, _, _)| *k == kind) {
                    out.push(format!("{file}: `name(\"{kind}\", …)` has no names"));
                }
            }
        }
        out
    }

    #[test]
    fn every_word_the_pages_use_is_in_both_languages() {
        let found: usize = SOURCES
            .iter()
            .map(|(_, s)| literal_args(s, "t").len() + literal_args(s, "fill").len())
            .sum();
        assert!(found > 150, "the scan finds the pages' words ({found})");
        let problems = problems(SOURCES);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_scan_catches_a_missing_word() {
        let page = r#"html! { h1 { (ui.t("projects")) } p { (ui.t("no_such_word")) (ui.fill("projects", "x")) (ui.name("no_kind", "x")) } }"#;
        let problems = problems(&[("page.rs", page)]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("no_such_word"));
        assert!(problems[1].contains("lacks a {}"));
        assert!(problems[2].contains("no_kind"));
    }

    #[test]
    fn keys_are_unique_and_every_word_has_both_languages() {
        let mut keys = BTreeSet::new();
        for (key, en, ru) in WORDS {
            assert!(keys.insert(*key), "\"{key}\" is in WORDS twice");
            assert!(
                key.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "\"{key}\" is not snake_case"
            );
            assert!(!en.is_empty() && !ru.is_empty(), "\"{key}\" lacks a word");
            assert!(cyrillic(ru), "\"{key}\": {ru:?} is not Russian");
            assert_eq!(en.contains("{}"), ru.contains("{}"), "\"{key}\"'s {{}}");
        }
        let mut names = BTreeSet::new();
        for (kind, value, en, ru) in NAMES {
            assert!(
                names.insert((*kind, *value)),
                "{kind} {value} is named twice"
            );
            assert!(
                !en.is_empty() && !ru.is_empty(),
                "{kind} {value} lacks a name"
            );
            assert!(cyrillic(ru), "{kind} {value}: {ru:?} is not Russian");
        }
    }

    fn named(kind: &str, value: &str) -> Option<(&'static str, &'static str)> {
        NAMES
            .iter()
            .find(|(k, v, _, _)| *k == kind && *v == value)
            .map(|(_, _, en, ru)| (*en, *ru))
    }

    #[test]
    fn every_value_shown_as_a_word_has_a_name() {
        use talentd_analysis::Recommendation;
        use talentd_analysis::culture::{Dimension, items};
        use talentd_core::interview::{InterviewSource, InterviewStatus, Stage};
        use talentd_core::project::ProjectStatus;
        use talentd_core::template::{BUILTIN_TEMPLATES, Competency};
        use talentd_core::user::Role;

        // Each match fails to compile when a variant is added, so the lists stay whole.
        let interview = |s: InterviewStatus| match s {
            InterviewStatus::InProgress
            | InterviewStatus::Processing
            | InterviewStatus::Completed
            | InterviewStatus::Failed
            | InterviewStatus::Abandoned => s.as_str(),
        };
        let project = |s: ProjectStatus| match s {
            ProjectStatus::Active | ProjectStatus::Completed | ProjectStatus::Expired => s.as_str(),
        };
        let stage = |s: Stage| match s {
            Stage::Queued
            | Stage::Fetching
            | Stage::Decoding
            | Stage::Transcribing
            | Stage::Analyzing => s.as_str(),
        };
        let source = |s: InterviewSource| match s {
            InterviewSource::Live | InterviewSource::Upload => s.as_str(),
        };
        let role = |r: Role| match r {
            Role::Admin | Role::Recruiter => r.as_str(),
        };
        let mut wanted: Vec<(&str, &str)> = Vec::new();
        for s in [
            InterviewStatus::InProgress,
            InterviewStatus::Processing,
            InterviewStatus::Completed,
            InterviewStatus::Failed,
            InterviewStatus::Abandoned,
        ] {
            wanted.push(("interview_status", interview(s)));
        }
        for s in [
            ProjectStatus::Active,
            ProjectStatus::Completed,
            ProjectStatus::Expired,
        ] {
            wanted.push(("project_status", project(s)));
        }
        for s in [
            Stage::Queued,
            Stage::Fetching,
            Stage::Decoding,
            Stage::Transcribing,
            Stage::Analyzing,
        ] {
            wanted.push(("stage", stage(s)));
        }
        for s in [InterviewSource::Live, InterviewSource::Upload] {
            wanted.push(("source", source(s)));
        }
        for r in [Role::Admin, Role::Recruiter] {
            wanted.push(("role", role(r)));
        }
        for a in talentd_core::audit::ActorType::ALL {
            wanted.push(("actor_type", a.as_str()));
        }
        for r in [
            Recommendation::StronglyRecommended,
            Recommendation::Recommended,
            Recommendation::Consider,
            Recommendation::NotRecommended,
        ] {
            wanted.push((
                "recommendation",
                super::super::interview_pages::recommendation_name(r),
            ));
        }
        for r in super::super::interview_pages::RECOMMENDATIONS {
            wanted.push(("recommendation", r));
        }
        for c in Competency::ALL {
            wanted.push(("skill", c.as_str()));
        }
        for c in super::super::compare_page::CRITERIA {
            if c != "match" && c != "culture_fit" {
                wanted.push(("skill", c));
            }
        }
        for t in BUILTIN_TEMPLATES {
            wanted.push(("template", t.id));
        }
        {
            use talentd_store::{delivery_status, webhook_status};
            for s in [
                webhook_status::PENDING,
                webhook_status::ACTIVE,
                webhook_status::DISABLED,
            ] {
                wanted.push(("webhook_status", s));
            }
            for s in [
                delivery_status::PENDING,
                delivery_status::DELIVERED,
                delivery_status::FAILED,
            ] {
                wanted.push(("delivery_status", s));
            }
        }
        for (kind, value) in &wanted {
            assert!(named(kind, value).is_some(), "{kind} {value} has no name");
        }
        // Dimensions and statements keep the analysis crate's English.
        for d in Dimension::ALL {
            assert_eq!(named("dimension", d.as_str()).map(|n| n.0), Some(d.label()));
        }
        for item in items() {
            assert_eq!(named("ocp", item.id).map(|n| n.0), Some(item.text));
        }
        assert_eq!(
            NAMES.iter().filter(|(k, _, _, _)| *k == "ocp").count(),
            items().len()
        );
    }
}

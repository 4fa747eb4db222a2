# API қате құжаттары: түрлері бойынша тақырыптар және адамның деректеріне қатысы жоқ
# хабарламалар (олар errors.ftl файлында).

title-validation = Сұрау дұрыс емес
title-bad-request = Қате сұрау
title-not-found = Табылмады
title-unauthorized = Кіру қажет
title-forbidden = Рұқсат жоқ
title-conflict = Қайшылық
title-stale-version = Іс өзгерді
title-version-required = Нұсқа қажет
title-rate-limited = Сұраулар тым көп
title-too-large = Көлемі тым үлкен
title-unsupported-media-type = Деректер түріне қолдау жоқ
title-unavailable = Қызмет қолжетімсіз
title-request-timeout = Сұрау уақыты өтті
title-method-not-allowed = Әдіске рұқсат жоқ
title-internal = Ішкі қате

error-request-invalid = Кейбір өрістер дұрыс толтырылмаған; тізімді қараңыз.
error-request-not_found = Бұл сұрау бойынша ештеңе табылмады.
error-request-rate_limited = Әрекет тым көп. { $seconds } секундтан кейін қайталаңыз.
error-request-method_not_allowed = Бұл мекенжай мұндай әдісті қабылдамайды; /api/openapi.json қараңыз.
error-request-internal = Біз жақта қате орын алды. Ол { $id } нөмірімен тіркелді.
error-request-not_ready = Қызмет қазір дерекқорға қосыла алмай тұр.
error-request-taken = { $what } бос емес.
error-request-body_timeout = Сұраудың мазмұны { $seconds } секунд ішінде жетпеді. Байланысты тексеріп, қайта жіберіңіз.
error-request-timed_out = Сұрауға жауап беру тым ұзаққа созылды. Сәлден соң қайталаңыз.
error-request-overloaded = Қызмет қазір бос емес. Сәлден соң қайталаңыз.

error-application-duplicate = Осы төлқұжат пен карта түрі бойынша ашық өтініш бар. Оны нөмірі мен кіру коды арқылы жалғастырыңыз.
error-application-changed_meanwhile = Осы уақытта өтініш өзгерді. Бетті жаңартып, қайталаңыз.
error-receipt-not_yet = Қабылдау туралы хабарлама өтініш берілгеннен кейін пайда болады.

error-case-stale_version = Істі басқа қызметкер өзгертті; қазір оның нұсқасы { $current }. Жаңартып, қайталаңыз.
error-case-illegal_transition = Мәртебесі { $state } өтінішке { $action } әрекетін орындауға болмайды.
error-case-role_may_not = { $role } рөлі { $action } әрекетін орындай алмайды; ол мыналар үшін: { $allowed }.
error-case-second_person_required = { $action } әрекетін екінші қызметкер орындайды: { $needs ->
    [supervisor] өтінішті қарамаған басшы
   *[other] өтінішті қарап жатқан қызметкерден басқа біреу
 }.
error-case-if_match_required = GET /api/v1/cases/{"{"}number{"}"} жауабындағы істің ETag мәнін (нұсқасын) If-Match арқылы жіберіңіз.
error-case-if_match_invalid = If-Match істің ETag мәні болуы керек, мысалы "3".

error-body-not_json = Сұрау денесі дұрыс JSON емес: { $detail }
error-body-json_content_type = Сұрау денесін Content-Type: application/json арқылы JSON түрінде жіберіңіз.
error-body-too_large = Сұрау денесі тым үлкен.
error-body-unreadable = Сұрау денесін оқу мүмкін емес: { $detail }
error-request-unreadable = Сұрауды оқу мүмкін емес: { $detail }

error-auth-session_expired = Сеанс белгісіз немесе мерзімі өтті. Қайта кіріңіз.
error-auth-account_disabled = Есептік жазба өшірілген.
error-auth-role_required = Мұнда { $roles } рөлі қажет; сіздің рөліңіз — { $role }.
error-auth-role_not_for_cases = { $role } рөлі істермен жұмыс істемейді.
error-auth-login_required = Кіріңіз: POST /api/v1/auth/login берген токенді Authorization: Bearer арқылы жіберіңіз.
error-auth-api_key_unknown = API кілті белгісіз немесе кері қайтарылған.
error-auth-access_code_required = Хабарламадағы кіру кодын жіберіңіз: Authorization: Bearer және код.
error-auth-login_failed = Пайдаланушы аты немесе құпиясөз қате.
error-auth-code_wrong = Растау коды қате немесе бұрын пайдаланылған.
error-auth-second_factor_required = Бұл есептік жазба екінші фактормен кіреді: кодты осы токенмен POST /api/v1/auth/code мекенжайына немесе кірумен бірге жіберіңіз.
error-auth-second_factor_setup_required = Алдымен бұл есептік жазбаға екінші факторды баптаңыз: POST /api/v1/auth/second-factor.
error-second_factor-not_for_role = { $role } рөлі екінші факторды пайдаланбайды.
error-second_factor-already_set_up = Бұл есептік жазбада екінші фактор бар; оны әкімші қалпына келтіре алады.
error-second_factor-not_started = Екінші фактор бапталып жатқан жоқ: POST /api/v1/auth/second-factor арқылы бастаңыз.
error-second_factor-not_signing_in = Бұл сеанс кодты күтіп тұрған жоқ.
error-auth-credentials_required = Пайдаланушы аты мен құпиясөзді енгізіңіз.

error-upload-multipart = Жүктелген деректерді оқу мүмкін емес: { $detail }
error-upload-body_too_large = Жүктелген деректер тым үлкен: { $detail }
error-upload-unexpected_field = Күтілмеген өріс; kind және file жіберіңіз.
error-upload-unnamed_field = Жүктеменің бір бөлігінің атауы жоқ; kind және file жіберіңіз.
error-upload-not_now = Құжаттарды жобаға немесе ақпарат сұралғанда ғана қосуға болады; өтініш мәртебесі — { $state }.
error-upload-too_large = Файл көлемі { $size } байт; ең көбі { $max } байт қабылданады.
error-upload-file_too_large = Файл бұл құжат үшін тым үлкен: ең көбі { $max } байт қабылданады.
error-upload-empty = Файл бос.
error-upload-type_not_allowed = { $detected } түріндегі файл мұнда қабылданбайды. Рұқсат етілгені: { $allowed }.
error-upload-unrecognised_type = Файл түрі танылмады. JPEG, PNG немесе PDF жүктеңіз.
error-upload-archive = Архивтер ({ $kind }) қабылданбайды. Әр құжатты жеке жүктеңіз.
error-upload-image_too_large = Сурет { $width }×{ $height } пиксель; ең көбі { $max_pixels } пиксель қабылданады.
error-upload-bad_image = Суретті оқу мүмкін емес: { $detail }
error-upload-bad_pdf = PDF файлын оқу мүмкін емес: { $detail }
error-upload-active_pdf = PDF ішінде белсенді мазмұн бар ({ $what }). Оны қарапайым PDF етіп басып шығарып, соны жүктеңіз.
error-document-not_in_checklist = «{ $value }» бұл карта түрінің құжаттар тізімінде жоқ: { $known }.

error-account-username_format = 3-тен 64-ке дейін латын әрпін, цифрды, нүктені, сызықшаны немесе астыңғы сызықты пайдаланыңыз.
error-account-role_unknown = «{ $value }» рөлі белгісіз; мыналардың бірі күтіледі: { $known }.
error-account-password_short = Құпиясөз кемінде { $min } таңбадан тұруы керек.
error-account-language_unknown = Белгісіз тіл «{ $value }»; рұқсат етілгендері: { $known }.
error-account-host_kind_for_hosts = Қабылдаушы тарап түрі тек қабылдаушы тараптарда болады.
error-account-api_key_for_hosts = API кілттері тек қабылдаушы тараптарға беріледі.
error-account-own_account = Өз есептік жазбаңызды өшіре алмайсыз.
error-host_kind-unknown = «{ $value }» қабылдаушы тарап түрі белгісіз; мыналардың бірі күтіледі: { $known }.
error-policy-invalid = { $line }-жол: { $detail }

error-arrival-not_assessable = Бұл келу үшін мерзімді есептеу мүмкін емес: { $detail }
error-arrival-not_stored = Келу туралы хабарламаны жазу мүмкін болмады. Қайталап көріңіз.
error-arrival-deadline_passed = Бұл келу туралы хабарлау мерзімі өтіп кетті ({ $deadline }). Қонақ келген болса, келу туралы қазір хабарлаңыз.
error-arrival-already_notified = Бұл келу туралы { $notified_at } хабарланған.
error-arrival-not_arrived_yet = Жоспарланған келу уақыты ({ $planned }) әлі келген жоқ. Қонақ келгенде растаңыз немесе оның қашан келгенін көрсетіңіз.
error-arrival-status_unknown = Белгісіз күй «{ $value }»; expected немесе notified болуы керек.
error-csv-unreadable = { $line }-жолды оқу мүмкін емес: { $detail }
error-csv-empty = CSV бос; бірінші жолда бағандар аталуы керек: { $columns }
error-csv-columns = { $columns } бағандары күтілді; келгені: { $got }.
error-csv-column_count = { $expected } баған күтілді, табылғаны: { $found }.

error-state-unknown = «{ $value }» мәртебесі белгісіз; мыналардың бірі күтіледі: { $known }.
error-cursor-invalid = Бұл алдыңғы беттің курсоры емес.

error-stay-syntax = «{ $input }» — болу кезеңі емес: КІРУ:ШЫҒУ немесе жалғасып жатқан кезең үшін КІРУ: деп жазыңыз, күндерді ЖЖЖЖ-АА-КК түрінде.
error-stay-bad_date = «{ $input }» кезеңіндегі «{ $value }» — дұрыс күн емес.
error-stay-exit_before_entry = { $stay }-кезең: шығу күні { $exit } кіру күнінен { $entry } бұрын.
error-stay-entry_after_control = { $stay }-кезең: кіру күні { $entry } тексеру күнінен { $on } кейін.
error-stay-several_open = { $stay }-кезең: шығу күні жоқ кезең тек біреу болуы мүмкін, бірақ { $other }-кезеңде де жоқ.
error-stay-open_not_latest = { $stay }-кезең: шығу күні жоқ кезең соңғы болуы керек, бірақ { $later }-кезең кейінірек, { $later_entry } басталады.
error-stay-zero_days = Кемінде 1 күн болуы керек.
error-stay-limit_not_below_window = { $limit } күндік шек { $window } күндік кезеңнен аз болуы керек.
error-stay-until_before_on = Жоспарланған кету күні { $until } тексеру күнінен { $on } бұрын.
error-stay-out_of_range = { $on } күнінен бастап соңғы заңды күн { $max } күнінен кейін түседі, бұл қолдау көрсетілетін күндерден тыс.
error-stay-no_rule = Ережелерде { $on } күні күшінде болатын болу нормасы жоқ.

# Әкімшінің беттері: тіркелгілер, API кілттері, саясат (web/admin.rs, templates/admin/).

admin-forbidden-title = Бұл бетті аша алмайсыз
admin-forbidden-text = Бұл бет әкімшілерге арналған. Сіздің тіркелгіңізде ондай рөл жоқ; қажет болса, әкімшіге хабарласыңыз.
admin-forbidden-back = Бастапқы бетіңізге өту

admin-back = Әкімшілендіруге оралу
admin-back-users = Тіркелгілерге оралу

admin-role = Рөлі
admin-role-officer = Көші-қон қызметінің қызметкері
admin-role-officer-hint = Өз бөлімшесінің өтініштер кезегімен жұмыс істейді.
admin-role-supervisor = Басшы
admin-role-supervisor-hint = Екінші тұлға ретінде мақұлдай және бере алатын қызметкер.
admin-role-admin = Әкімші
admin-role-admin-hint = Тіркелгілерді, API кілттерін және саясатты басқарады.
admin-role-host = Қабылдаушы тарап
admin-role-host-hint = Келу туралы хабарлайтын қонақ үй, пәтер иесі, жұмыс беруші немесе университет.

admin-home-title = Әкімшілендіру
admin-home-lead = tirkeu жүйесіне кіретін тіркелгілерді және ол жұмыс істейтін саясатты басқару.
admin-home-users-hint = Тіркелгілерді жасау, өшіру және қабылдаушы тараптарға API кілттерін беру.
admin-home-policy-hint = Қолданыстағы ережелерді оқу, саясат файлын жүктеп алу және ауыстыру.
admin-home-accounts = Рөлдер бойынша тіркелгілер
admin-home-disabled = Өшірілген тіркелгілер
admin-home-policy = Қолданыстағы саясат

admin-users-title = Тіркелгілер
admin-users-caption = Барлық тіркелгілер
admin-office = Бөлімше
admin-host-kind = Қабылдаушы тараптың түрі
admin-created = Жасалған уақыты
admin-state = Күйі
admin-actions = Әрекеттер
admin-disabled = Өшірілген
admin-active = Белсенді
admin-you = Бұл сіз
admin-enable = Қосу
admin-disable = Өшіру

admin-new-title = Тіркелгі жасау
admin-username-hint = 3-тен 64-ке дейін латын әрпі, цифр, нүкте, сызықша немесе астын сызу белгісі.
admin-office-hint = Қызметкерлер мен басшылар өз бөлімшесінің істерін көреді. Міндетті емес.
admin-office-none = Бөлімшесіз
admin-host-kind-hint = Тек қабылдаушы тараптар үшін: хабарламаны кешіктіргені үшін айыппұл осыған байланысты. Таңдалмаса, саясаттағы бірінші түр алынады.
admin-host-kind-none = Қабылдаушы тарап емес
admin-password-hint = Кемінде 12 таңба. Бос қалдырсаңыз, құпиясөз жасалып, сізге бір рет көрсетіледі.
admin-email = Электрондық пошта мекенжайы
admin-email-hint = Осы есептік жазбаға арналған хабарлар осында жіберіледі; қабылдаушы тарапқа келу туралы хабарлау мерзімдері еске салынады. Міндетті емес.
admin-language = Хабарлар тілі
admin-language-hint = Осы есептік жазбаға жіберілетін хаттардың тілі. Міндетті емес.
admin-language-none = Көрсетілмеген
admin-new-submit = Тіркелгі жасау

admin-done-created = Тіркелгі жасалды.
admin-done-disabled = Тіркелгі өшірілді: оның сеанстары аяқталды, API кілттері енді жұмыс істемейді.
admin-done-enabled = Тіркелгі қайта қосылды.
admin-done-revoked = API кілті кері қайтарылды; ол енді жұмыс істемейді.
admin-done-replaced = Жаңа саясат күшіне енді: { $id }, нұсқасы { $version }.

admin-user-title = { $name } тіркелгісі
admin-own-account = Бұл сіздің өз тіркелгіңіз; оны мұнда өшіру мүмкін емес.
admin-disable-hint = Өшіру тіркелгінің сеанстарын аяқтап, API кілттерін тоқтатады. Оны қайта қосуға болады.

admin-keys-title = API кілттері
admin-keys-lead = Қабылдаушы тараптың бағдарламасы API арқылы келу туралы хабарлау үшін API кілтін жібереді. Кілт жасалғанда бір рет көрсетіледі; тек оның ізі сақталады.
admin-keys-none = Бұл қабылдаушы тараптың әзірге API кілттері жоқ.
admin-key-label = Атауы
admin-key-label-hint = Кілт қайда қолданылатынын жазыңыз, мысалы, «тіркеу орны» немесе брондау жүйесінің атауы.
admin-key-revoked = Кері қайтарылған: { $at }
admin-key-new = API кілтін жасау
admin-key-submit = Кілт жасау
admin-revoke = Кері қайтару

admin-once-password-title = Тіркелгі жасалды
admin-once-key-title = API кілті жасалды
admin-once-gone-title = Бұрын көрсетілген
admin-once-for = { $name } тіркелгісі үшін
admin-once-password = Құпиясөз
admin-once-key = API кілті
admin-once-key-label = Атауы: { $label }
admin-once-warning = Оны қазір көшіріп алыңыз: ол қайта көрсетілмейді. tirkeu тек оның ізін сақтайды, сондықтан кейін оны ешкім біле алмайды.
admin-once-password-use = Оны тіркелгі иесіне қауіпсіз жолмен беріңіз; ол сонымен жүйеге кіреді.
admin-once-key-use = Қабылдаушы тараптың бағдарламасы оны әр сұраумен осы тақырыпта жібереді:
admin-once-gone = Бұл құпия бір рет көрсетілді және қайта көрсетілмейді. Егер ол жоғалса, жаңасын жасаңыз (және ескі кілтті кері қайтарыңыз).
admin-once-back = { $name } тіркелгісіне оралу

admin-revoke-title = «{ $label }» API кілтін кері қайтару керек пе?
admin-revoke-warning = Бұл кілтті қолданатын бағдарламалар енді ол арқылы келу туралы хабарлай алмайды. Мұны болдырмау мүмкін емес.
admin-revoke-submit = Иә, кілтті кері қайтару
admin-cancel = Бас тарту

admin-policy-title = Саясат
admin-policy-name = Атауы
admin-policy-id = Сәйкестендіргіші
admin-policy-version = Нұсқасы
admin-policy-source = Дереккөзі
admin-policy-source-default = tirkeu жүйесіне кірістірілген әдепкі саясат (policy/kz.toml)
admin-policy-source-file = Кірістірілген әдепкі саясаттың орнына жүктелген саясат файлы
admin-policy-zone = Уақыт белдеуі
admin-policy-download = Саясат файлын жүктеп алу (TOML)
admin-policy-rules = Мерзімдер мен шектеулер
admin-policy-deadline = Қабылдаушы тарап келу туралы мына мерзімде хабарлайды
admin-policy-card-after = Мына мерзімнен ұзақ болу үшін карточка қажет
admin-policy-host-kinds = Қабылдаушы тараптардың түрлері
admin-policy-types = Карточка түрлері
admin-policy-processing = Қарау мерзімі
admin-policy-validity = Ең ұзақ қолданылу мерзімі
admin-policy-fee = Алым
admin-policy-documents = Құжаттар
admin-policy-optional = міндетті емес
admin-policy-fines = Айыппұлдар
admin-policy-offence = Құқықбұзушылық
admin-policy-who = Кімге қолданылады
admin-policy-amount = Мөлшері
admin-policy-article = Бабы
admin-policy-offence-late = Келу туралы уақтылы хабарламау
admin-policy-offence-overstay = Болу мерзімін асыру
admin-policy-any-host = Кез келген қабылдаушы тарап
admin-policy-any-overstay = Кез келген асыру
admin-policy-days-over-range = { $from }–{ $to } күнге асыру
admin-policy-days-over-from = { $count } және одан көп күнге асыру
admin-policy-offices = Бөлімшелер
admin-policy-address = Мекенжайы
admin-policy-serves = Қызмет көрсететін жерлері
admin-policy-office-default = Басқа бөлімше қызмет көрсетпейтін барлық жерге қызмет көрсетеді
admin-policy-hours = { $count } сағат
admin-policy-working-days = { $count } жұмыс күні
admin-policy-days = { $count } күн
admin-amount-kzt = { $amount } ₸
admin-amount-mci = { $mci } АЕК
admin-amount-mci-today = { $mci } АЕК (бүгін { $amount } ₸)

admin-policy-replace = Саясатты ауыстыру
admin-policy-replace-lead = Жоғарыдағы файлды жүктеп алып, өзгертіңіз де, осында жүктеңіз немесе бүкіл файлды өріске қойыңыз. Алдымен ол тексеріледі: кез келген қатесі бар файл қабылданбайды, ал қолданыстағы саясат өзгермейді.
admin-policy-file = Саясат файлы
admin-policy-file-hint = Көлемі { $max } КиБ-тан аспайтын TOML файлы.
admin-policy-text = Немесе саясатты осында қойыңыз
admin-policy-text-hint = Файл таңдалмаған кезде қолданылады.
admin-policy-submit = Тексеріп, күшіне енгізу
admin-policy-refused = Саясатта { $count } қате табылды, төменде жол және өріс бойынша көрсетілген; саясат күшіне енгізілмеді.
admin-policy-issues = Саясат файлындағы қателер
admin-policy-line = Жол
admin-policy-field = Өріс
admin-policy-problem = Не дұрыс емес
admin-policy-english = Саясатты тексеру әзірге қателерді тек ағылшын тілінде сипаттайды.

error-account-role_required = Тіркелгінің рөлін таңдаңыз.
error-account-username_taken = Бұл пайдаланушы аты бос емес; басқасын таңдаңыз.
error-office-unknown = Белгісіз бөлімше «{ $value }»; мыналардың бірі күтіледі: { $known }.
error-policy-too_large = Саясат файлы { $max } КиБ-тан үлкен.
error-policy-encoding = Файл UTF-8 мәтіні емес. Саясатты UTF-8 түрінде сақтап, қайта жүктеңіз.
error-policy-missing = Саясат файлын таңдаңыз немесе саясатты өріске қойыңыз.
admin-role-office = Рөлі және бөлімшесі
admin-amount-no-fee = Алымсыз
admin-amount-warning = Ескерту, айыппұлсыз
admin-user-office = Бөлімше: { $name }
admin-user-host-kind = Қабылдаушы тараптың түрі: { $name }

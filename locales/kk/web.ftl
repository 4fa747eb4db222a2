# Веб-интерфейстің қаңқасы және жалпыға ашық беттер.

site-name = tirkeu
site-tagline = Шетелдіктерді тіркеу
skip-to-content = Негізгі мазмұнға өту
language-switch = Тіл
footer-text = tirkeu — шетелдіктерді тіркеуге және тіркеу карточкаларын беруге арналған ашық бағдарламалық қамтамасыз ету.
footer-api = Әзірлеушілерге арналған API
error-prefix = Қате:
error-summary-title = Мәселе бар
error-summary-item = { $label }: { $message }
back = Артқа
continue = Жалғастыру
sign-out = Шығу
signed-in-as = Сіз { $name } ретінде кірдіңіз

home-title = Болуыңызды тіркеп, тіркеу карточкасын алыңыз
home-lead = Қазақстанда жүрген шетелдіктерге, оларды қабылдайтын тұлғалар мен ұйымдарға және көші-қон қызметінің қызметкерлеріне арналған.
home-eligibility = Маған карточка керек пе?
home-eligibility-text = Болу күндеріңізді есептеп, тіркеу карточкасы керек пе, қайсысы сәйкес келеді және қандай құжаттар қажет екенін біліңіз.
home-apply = Өтініш беру
home-apply-text = Онлайн өтініш беріп, құжаттарды жүктеңіз және өтініш нөмірі бар хабарлама алыңыз.
home-status = Мәртебені тексеру
home-status-text = Өтінішіңіз қай кезеңде екенін білу үшін өтініш нөмірі мен төлқұжат нөмірін енгізіңіз.
home-continue = Өтінішімді жалғастыру немесе ашу
home-renew = Карточканы ұзарту
home-others = Қабылдаушы тараптар мен қызметкерлерге
home-hosts = Қабылдаушы тараптарға: келу туралы хабарлау
home-staff = Қызметкерлерге кіру

status-title = Өтініш мәртебесін тексеру
status-lead = Хабарламадағы өтініш нөмірін және өтініш берген төлқұжатыңыздың нөмірін енгізіңіз.
status-number = Өтініш нөмірі
status-number-hint = 16 әріп пен цифр, мысалы XPVF-ZZDW-RWPB-VXX5
status-passport = Төлқұжат нөмірі
status-passport-hint = Төлқұжатта жазылғандай
status-submit = Мәртебені тексеру
status-not-found = Бұл нөмір мен төлқұжат нөміріне сәйкес өтініш табылмады. Екеуін де тексеріп, қайталаңыз.
status-result-title = { $number } өтініші
status-current = Мәртебесі
status-updated = Соңғы өзгеріс
status-next = Келесі қадам
status-again = Басқа өтінішті тексеру
status-manage = Осы өтінішті басқару

state-draft = Жоба, әлі берілмеген
state-submitted = Қабылданды
state-in_review = Қаралуда
state-info_requested = Қосымша ақпарат қажет
state-approved = Мақұлданды
state-rejected = Бас тартылды
state-ready_for_collection = Карточка алуға дайын
state-issued = Карточка берілді
state-withdrawn = Кері қайтарылды
state-abandoned = Аяқталмай жабылды
state-expired = Карточканың мерзімі өтті
state-revoked = Карточка жойылды

staff-title = Кіру
staff-lead = Көші-қон қызметінің қызметкерлеріне, басшыларына, әкімшілерге және қабылдаушы тараптарға арналған.
staff-username = Пайдаланушы аты
staff-password = Құпиясөз
staff-submit = Кіру
staff-failed = Пайдаланушы аты немесе құпиясөз қате, не болмаса есептік жазба өшірілген.
staff-nav-label = Қызметкердің жұмыс орны
staff-nav-queues = Кезектер
staff-nav-dashboard = Жиынтық
staff-nav-admin = Әкімшілік
staff-home-title = Қош келдіңіз, { $name }
staff-home-lead = Сіз { $role } рөлімен кірдіңіз.
staff-home-next = Істер кезегі мен қызметкерлерге арналған беттер әзірленуде; әзірге /api/openapi.json сипатталған API-ді пайдаланыңыз.

not-found-title = Бет табылмады
not-found-text = Мекенжайды өзіңіз терген болсаңыз, оны тексеріңіз. Сілтеме арқылы келсеңіз, бастапқы бетке өтіңіз.
not-found-home = Бастапқы бетке өту

# «Менің өтінішім»: өз өтінішін нөмірі мен қолжетімділік коды арқылы ашу және онымен не істеуге болатыны.

application-open-title = Өтінішті жалғастыру немесе басқару
application-open-lead = Хабарламадағы өтініш нөмірі мен қолжетімділік кодын енгізіңіз. Мұны кез келген құрылғыдан жасауға болады.
application-code = Қолжетімділік коды
application-code-hint = Хабарламадағыдай 26 әріп пен цифр
application-open-submit = Өтінішімді ашу
application-status-only = Тек мәртебесін білгіңіз келе ме? Паспорт нөмірін пайдаланыңыз
application-not-found = Бұл нөмір мен қолжетімділік кодына сәйкес өтініш жоқ. Екеуін де тексеріп, қайталаңыз.

application-title = { $number } өтініші
application-office = Көші-қон бөлімшесі
application-continue-draft = Толтыруды жалғастыру
application-requested = Қызметкер қосымша мәлімет сұрайды
application-requested-text = Сұралған құжаттарды жүктеп, жауабыңызды жіберіңіз. Жібергеннен кейін өтініш қызметкерге қайта оралады.
application-respond-heading = Барлығы жүктелгенде
application-respond = Жауабымды жіберу
application-withdraw = Өтінішті кері қайтарып алу
application-forget = Осы құрылғыда жабу

application-withdraw-title = Өтінішті кері қайтарып аласыз ба?
application-withdraw-text = { $number } өтініші кері қайтарылады, ол бойынша шешім қабылданбайды.
application-withdraw-warning = Мұны болдырмау мүмкін емес. Кейін карточка алу үшін қайта өтініш беруге тура келеді.
application-withdraw-submit = Иә, кері қайтарып алу
application-withdraw-cancel = Жоқ, өтінішті қалдыру

# Қызметкерлер тақтасы және ашық статистика (web/stats.rs, templates/stats/).
footer-statistics = Статистика
stats-dashboard-title = Көрсеткіштер тақтасы
stats-dashboard-lead = Өтініштер кезегі, саясаттағы нормативпен салыстырғандағы қарау мерзімдері, кешігіп берілген келу туралы хабарламалар және мерзімі жақында бітетін карточкалар. Тек жиынтық деректер: мұнда ешбір іс те, ешбір адам да көрінбейді.
stats-public-title = Статистика
stats-public-lead = Шетелдіктерді тіркеу туралы ашық деректер: шешім күтіп тұрған өтініштер саны, оларды қарау ұзақтығы, кешігіп берілген келу туралы хабарламалар және мерзімі жақында бітетін карточкалар. Тек жиынтықтар жарияланады, адамдар туралы ешқандай мәлімет жоқ.
stats-generated = Деректер { $time } бойынша (Алматы уақыты).
stats-contents = Осы бетте
stats-table-caption = { $chart }: диаграмманың сандары
stats-csv = CSV жүктеп алу: { $chart }
stats-public-link = Ашық статистика беті
stats-list-separator = {"; "}
stats-desc-item = { $label }: { $value }

stats-backlog-by-state-title = Қаралып жатқан өтініштер, күйі бойынша
stats-backlog-by-state-column = Қаралып жатқан өтініштер
stats-backlog-by-type-title = Қаралып жатқан өтініштер, карточка түрі бойынша
stats-backlog-by-type-column = Қаралып жатқан өтініштер
stats-expiring-cards-title = Алдағы 30 күнде мерзімі бітетін карточкалар
stats-expiring-cards-column = Мерзімі бітетін карточкалар
stats-expiring-cards-note = Соңғы жарамды күні { $from } мен { $until } аралығындағы берілген карточкалар.

stats-processing-times-title = Карточка түрлері бойынша қарау мерзімдері (күн)
stats-processing-times-note = Соңғы { $days } күнде мақұлданған немесе бас тартылған өтініштер; мерзім берілген күннен шешімге дейін күнтізбелік күнмен есептеледі. Норматив саясаттан алынады, жұмыс күнімен.
stats-processing-desc-item = { $label }: жартысы { $p50 } күнде, 90%-ы { $p90 } күнде шешілді; норматив { $target } жұмыс күні; { $decided } өтініштің { $on_time }-і мерзімінде шешілді
stats-processing-desc-none = { $label }: шешім жоқ
stats-bar-p50 = медиана { $days }
stats-bar-p90 = 90%: { $days }
stats-bar-none = шешім жоқ

stats-late-arrivals-title = Кешігіп берілген келу туралы хабарламалар, ай бойынша
stats-late-arrivals-note = Барлық уақытта: келу туралы { $arrivals } хабарлама, оның { $late }-і кешігіп берілген ({ $share }%).
stats-late-desc-item = { $label }: { $arrivals } хабарламаның { $late }-і кешіккен
stats-bar-late = { $share }% ({ $arrivals } ішінен { $late })

stats-col-state = Күйі
stats-col-type = Карточка түрі
stats-col-decided = Шешілгені
stats-col-p50 = Медиана, күн
stats-col-p90 = 90-процентиль, күн
stats-col-target = Норматив, жұмыс күні
stats-col-on-time = Мерзімінде шешілгені
stats-col-month = Ай
stats-col-arrivals = Хабарламалар
stats-col-late = Кешіккені
stats-col-late-share = Кешіккені, %

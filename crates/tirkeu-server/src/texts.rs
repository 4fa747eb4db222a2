//! Short texts the API returns to applicants, in the four languages.

use tirkeu_core::lifecycle::State;
use tirkeu_core::text::Lang;

/// What happens next, for an application in `state`.
pub fn next_step(state: State, lang: Lang) -> &'static str {
    use State as S;
    let t: [&'static str; 4] = match state {
        S::Draft => [
            "Өтінішті аяқтап, құжаттарды жүктеп, жіберіңіз.",
            "Заполните заявление, загрузите документы и отправьте его.",
            "Complete the application, upload the documents and submit it.",
            "请完成申请、上传文件并提交。",
        ],
        S::Submitted => [
            "Өтініш қабылданды және қарауды күтуде.",
            "Заявление принято и ожидает рассмотрения.",
            "Your application was received and is waiting for review.",
            "您的申请已收到，正在等待审核。",
        ],
        S::InReview => [
            "Өтінішті қызметкер қарап жатыр.",
            "Заявление рассматривает сотрудник.",
            "An officer is reviewing your application.",
            "工作人员正在审核您的申请。",
        ],
        S::InfoRequested => [
            "Қосымша ақпарат сұралды: сұраныстағы құжаттарды жүктеп, жауап беріңіз.",
            "Запрошены дополнительные сведения: загрузите документы и ответьте на запрос.",
            "More information is needed: upload the requested documents and respond.",
            "需要补充信息：请上传所需文件并回复。",
        ],
        S::Approved => [
            "Өтініш мақұлданды; карточканы алу уақыты жақында хабарланады.",
            "Заявление одобрено; время получения карточки будет сообщено.",
            "Approved; you will be told when and where to collect your card.",
            "申请已批准；领取卡片的时间和地点将另行通知。",
        ],
        S::Rejected => [
            "Өтініш қабылданбады. Себебі хабарламада көрсетілген.",
            "В заявлении отказано. Причина указана в уведомлении.",
            "The application was refused. The notice gives the reason.",
            "申请被拒绝。原因见通知。",
        ],
        S::ReadyForCollection => [
            "Карточка дайын: көрсетілген уақытта төлқұжатыңызбен келіңіз.",
            "Карточка готова: приходите в назначенное время с паспортом.",
            "Your card is ready: come at the time given, with your passport.",
            "卡片已备好：请在指定时间携带护照前来领取。",
        ],
        S::Issued => [
            "Карточка берілді. Мерзімі біткенге дейін ұзартуды ұмытпаңыз.",
            "Карточка выдана. Не забудьте продлить её до истечения срока.",
            "Your card was issued. Remember to renew it before it expires.",
            "卡片已签发。请在到期前办理续签。",
        ],
        S::Withdrawn => [
            "Өтініш кері қайтарылды.",
            "Заявление отозвано.",
            "The application was withdrawn.",
            "申请已撤回。",
        ],
        S::Abandoned => [
            "Өтініш уақытында аяқталмағандықтан жабылды.",
            "Заявление закрыто, так как не было завершено вовремя.",
            "The application was closed because it was not completed in time.",
            "申请因未按时完成而关闭。",
        ],
        S::Expired => [
            "Карточканың мерзімі өтті.",
            "Срок действия карточки истёк.",
            "The card has expired.",
            "卡片已过期。",
        ],
        S::Revoked => [
            "Карточка жойылды.",
            "Карточка аннулирована.",
            "The card was revoked.",
            "卡片已被吊销。",
        ],
    };
    match lang {
        Lang::Kk => t[0],
        Lang::Ru => t[1],
        Lang::En => t[2],
        Lang::Zh => t[3],
    }
}

/// The next steps printed on a receipt.
pub fn receipt_steps(lang: Lang) -> Vec<String> {
    let t: [[&str; 3]; 4] = [
        [
            "Өтініш нөмірі мен кіру кодын сақтаңыз.",
            "Мәртебені нөмір және төлқұжат нөмірі бойынша тексеріңіз.",
            "Қосымша ақпарат сұралса, хабарлама аласыз.",
        ],
        [
            "Сохраните номер заявления и код доступа.",
            "Проверяйте статус по номеру заявления и номеру паспорта.",
            "Если понадобятся дополнительные сведения, вы получите уведомление.",
        ],
        [
            "Keep the application number and the access code.",
            "Check the status with the application number and your passport number.",
            "If more information is needed you will be notified.",
        ],
        [
            "请保存申请编号和访问码。",
            "可凭申请编号和护照号码查询状态。",
            "如需补充信息，您将收到通知。",
        ],
    ];
    let i = match lang {
        Lang::Kk => 0,
        Lang::Ru => 1,
        Lang::En => 2,
        Lang::Zh => 3,
    };
    t[i].iter().map(|s| (*s).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_step_in_every_language() {
        for s in State::ALL {
            for l in Lang::ALL {
                assert!(!next_step(*s, l).is_empty());
            }
        }
    }
}

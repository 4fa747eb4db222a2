# 后台任务发送的电子邮件：向申请人通知申请进展，向接待方提醒抵达通知的截止时间。

mail-service = { $authority } · tirkeu 外国人登记
mail-greeting = 您好：
mail-footer-auto = 本邮件由 tirkeu（外国人登记系统）自动发送，请勿回复。
mail-footer-applicant = 您收到此邮件，是因为登记卡申请中填写了此电子邮件地址。
mail-footer-host = 您收到此邮件，是因为此电子邮件地址属于一个接待方账户。
mail-footer-safety = 我们绝不会通过电子邮件索要您的访问码、密码或要求付款。提出此类要求的邮件并非我们发送。

# 日期和时间一律使用主管机关所在时区。
mail-date = { $year }年{ $month }{ $day }日
mail-datetime = { $date } { $time }（{ $offset }，{ $zone }）
mail-month-1 = 1月
mail-month-2 = 2月
mail-month-3 = 3月
mail-month-4 = 4月
mail-month-5 = 5月
mail-month-6 = 6月
mail-month-7 = 7月
mail-month-8 = 8月
mail-month-9 = 9月
mail-month-10 = 10月
mail-month-11 = 11月
mail-month-12 = 12月

# 纯文本版本中标签与内容之间的分隔符（“客人：…”）。
mail-separator = ：

mail-label-number = 申请编号
mail-label-permit = 证件类型
mail-label-reason = 原因
mail-label-needed = 需要补充的内容
mail-label-respond-by = 答复截止时间
mail-label-when = 时间
mail-label-where = 地点
mail-label-office = 受理机构
mail-label-address = 地址
mail-label-bring = 需携带
mail-label-valid-until = 有效期至
mail-label-guest = 客人
mail-label-confirmation = 确认编号
mail-label-arrived = 抵达时间
mail-label-deadline = 通知截止时间
mail-label-fine = 逾期通知罚款
mail-label-article = 法律依据

mail-bring-documents = 护照和申请受理回执
mail-fine-amount = { $amount } 坚戈
mail-fine-warning = 警告，不罚款
mail-guest-unknown = 您的客人

mail-link-status = 查询申请状态
mail-link-application = 打开您的申请
mail-link-renew = 办理续签
mail-link-host = 查看抵达通知

# 申请受理确认。邮件中绝不包含访问码。
mail-receipt-subject = 申请已受理：{ $number }
mail-receipt-heading = 我们已收到您的申请
mail-receipt-intro = 您的登记卡申请已提交并登记。
mail-receipt-next = 后续步骤：工作人员将审核您的申请和材料。申请状态每次变化时，我们都会发邮件到此地址通知您。
mail-receipt-keep = 请保存申请编号和回执上印有的访问码：答复补充信息要求或撤回申请时，两者都需要。访问码绝不会通过电子邮件发送。

mail-review_started-subject = 您的申请 { $number } 正在审核
mail-review_started-heading = 您的申请已开始审核
mail-review_started-intro = 工作人员已开始审核您的申请。
mail-review_started-next = 您现在无需做任何事。如需补充信息，我们会再通知您。

mail-info_requested-subject = 申请 { $number } 需要补充信息
mail-info_requested-heading = 我们需要您补充信息
mail-info_requested-intro = 审核您申请的工作人员需要更多信息才能作出决定。
mail-info_requested-how = 答复方式：打开申请页面，输入申请编号和回执上的访问码，然后上传所需材料或填写答复。
mail-info_requested-late = 如果在上述日期前未收到答复，您的申请可能会被关闭。

mail-approved-subject = 申请 { $number } 已批准
mail-approved-heading = 您的申请已获批准
mail-approved-intro = 您的登记卡申请已获批准。
mail-approved-next = 后续步骤：您的卡片将被制作，我们会通知您领取的地点和时间。您现在无需做任何事。

mail-rejected-subject = 关于申请 { $number } 的决定
mail-rejected-heading = 您的申请被拒绝
mail-rejected-intro = 很遗憾，您的登记卡申请因以下原因被拒绝。
mail-rejected-next = 在该原因不再存在后，您可以重新申请。如对决定有疑问，请联系审理您申请的移民机构。

mail-ready_for_collection-subject = 您的卡片可以领取了：申请 { $number }
mail-ready_for_collection-heading = 您的登记卡已备好
mail-ready_for_collection-intro = 您的登记卡已备好。请按以下时间和地点本人前来领取。
mail-ready_for_collection-next = 如果您无法在该时间前来，请联系受理机构。未领取的卡片可能会被注销。

mail-issued-subject = 登记卡已签发：申请 { $number }
mail-issued-heading = 您的登记卡已签发
mail-issued-intro = 您的登记卡已签发。
mail-issued-next = 如需继续停留，请在上述日期前申请续签。我们会提前提醒您。

mail-withdrawn-subject = 申请 { $number } 已撤回
mail-withdrawn-heading = 您的申请已撤回
mail-withdrawn-intro = 您的申请已按您的要求撤回，将不再处理。
mail-withdrawn-next = 如果不是您本人撤回的，请立即联系移民机构。

mail-abandoned-subject = 申请 { $number } 已关闭
mail-abandoned-heading = 您的申请已关闭
mail-abandoned-intro = 由于某一步骤未按时完成，您的申请已关闭：申请未提交、补充信息要求未答复，或卡片未领取。
mail-abandoned-next = 如果您仍需要登记卡，可以重新提交申请。

mail-expired-subject = 您的登记卡已过期：申请 { $number }
mail-expired-heading = 您的登记卡已过期
mail-expired-intro = 您的登记卡已失效。
mail-expired-next = 如果您仍在境内停留，需要办理新卡：请尽快申请。

mail-revoked-subject = 您的登记卡已被吊销：申请 { $number }
mail-revoked-heading = 您的登记卡已被吊销
mail-revoked-intro = 您的登记卡因以下原因被吊销，已不再有效。
mail-revoked-next = 如对决定有疑问，请联系移民机构。

mail-expiry_reminder-subject = { $days ->
    [0] 您的登记卡今天到期
   *[other] 您的登记卡将在 { $days } 天后到期
}
mail-expiry_reminder-heading = 请及时续签您的登记卡
mail-expiry_reminder-intro = { $days ->
    [0] 您的登记卡有效期至今天结束。
   *[other] 您的登记卡将在 { $days } 天后到期。
}
mail-expiry_reminder-next = 如需继续停留，请在到期前申请续签。

mail-host_deadline_approaching-subject = 抵达通知即将截止：{ $guest }
mail-host_deadline_approaching-heading = 抵达通知截止时间临近
mail-host_deadline_approaching-intro = 向移民警察通报您客人抵达的截止时间即将到来。
mail-host_deadline_approaching-next = 如果您尚未通报，请在截止时间前通过接待方门户提交。逾期通报可能会被罚款。

mail-host_deadline_missed-subject = 抵达通知已逾期：{ $guest }
mail-host_deadline_missed-heading = 抵达通知截止时间已过
mail-host_deadline_missed-intro = 向移民警察通报您客人抵达的截止时间已过，我们尚未收到通报。
mail-host_deadline_missed-next = 请立即通过接待方门户通报抵达。逾期通报将被处以上述罚款。

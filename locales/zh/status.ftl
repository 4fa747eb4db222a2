# 申请状态：各状态下的后续步骤。

status-next-draft = 请完成申请、上传文件并提交。
status-next-submitted = 您的申请已收到，正在等待审核。
status-next-in_review = 工作人员正在审核您的申请。
status-next-info_requested = 需要补充信息：请上传所需文件并回复。
status-next-approved = 申请已批准；领取卡片的时间和地点将另行通知。
status-next-rejected = 申请被拒绝。原因见通知。
status-next-ready_for_collection = 卡片已备好：请在指定时间携带护照前来领取。
status-next-issued = 卡片已签发。请在到期前办理续签。
status-next-withdrawn = 申请已撤回。
status-next-abandoned = 申请因未按时完成而关闭。
status-next-expired = 卡片已过期。
status-next-revoked = 卡片已被吊销。

# 回执上打印的后续步骤。

status-receipt-step-keep = 请保存申请编号和访问码。
status-receipt-step-check = 可凭申请编号和护照号码查询状态。
status-receipt-step-notice = 如需补充信息，您将收到通知。

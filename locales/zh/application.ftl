# “我的申请”：用申请编号和访问码打开自己的申请，以及可以进行的操作。

application-open-title = 继续或管理您的申请
application-open-lead = 输入回执上的申请编号和访问码。您可以在任何设备上操作。
application-code = 访问码
application-code-hint = 26 个字母和数字，与回执一致
application-open-submit = 打开我的申请
application-status-only = 只想查看状态？请改用护照号码
application-not-found = 没有与此编号和访问码相符的申请。请核对两者后重试。

application-title = 申请 { $number }
application-office = 移民办公室
application-continue-draft = 继续填写此申请
application-requested = 工作人员要求补充信息
application-requested-text = 请上传所要求的文件，然后发送您的答复。发送后，申请将退回工作人员处理。
application-respond-heading = 全部上传后
application-respond = 发送我的答复
application-withdraw = 撤回此申请
application-forget = 在此设备上关闭

application-withdraw-title = 要撤回您的申请吗？
application-withdraw-text = 申请 { $number } 将被撤回，不会对其作出决定。
application-withdraw-warning = 此操作无法撤销。以后如需登记卡，须重新申请。
application-withdraw-submit = 是，撤回
application-withdraw-cancel = 不，保留我的申请

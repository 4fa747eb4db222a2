# 网页界面的框架和公共页面。

site-name = tirkeu
site-tagline = 外国人登记
skip-to-content = 跳至主要内容
language-switch = 语言
footer-text = tirkeu 是用于外国人登记和签发登记卡的开源软件。
footer-api = 开发者 API
error-prefix = 错误：
error-summary-title = 出现问题
error-summary-item = { $label }：{ $message }
back = 返回
continue = 继续
sign-out = 退出
signed-in-as = 已登录：{ $name }

home-title = 登记您的停留并申领登记卡
home-lead = 面向在哈萨克斯坦停留的外国人、接待他们的个人和机构，以及移民官员。
home-eligibility = 我需要登记卡吗？
home-eligibility-text = 计算您的停留天数，了解是否需要登记卡、适合哪一种以及需要携带哪些材料。
home-apply = 申请登记卡
home-apply-text = 在线申请、上传材料，并获得带有申请编号的回执。
home-status = 查询我的申请状态
home-status-text = 输入申请编号和护照号码，查看您的申请进展。
home-continue = 继续或管理我的申请
home-renew = 续办登记卡
home-others = 接待方和工作人员
home-hosts = 接待方：申报外国人抵达
home-staff = 工作人员登录

status-title = 查询申请状态
status-lead = 请输入回执上的申请编号以及申请时所用护照的号码。
status-number = 申请编号
status-number-hint = 16 位字母和数字，例如 XPVF-ZZDW-RWPB-VXX5
status-passport = 护照号码
status-passport-hint = 与护照上印的一致
status-submit = 查询状态
status-not-found = 没有与此编号和护照号码相符的申请。请核对后重试。
status-result-title = 申请 { $number }
status-current = 状态
status-updated = 最后更新
status-next = 下一步
status-again = 查询其他申请
status-manage = 管理此申请

state-draft = 草稿，尚未提交
state-submitted = 已受理
state-in_review = 审核中
state-info_requested = 需要补充信息
state-approved = 已批准
state-rejected = 已拒绝
state-ready_for_collection = 登记卡可领取
state-issued = 登记卡已签发
state-withdrawn = 已撤回
state-abandoned = 未完成，已关闭
state-expired = 登记卡已过期
state-revoked = 登记卡已吊销

staff-title = 登录
staff-lead = 面向移民官员、主管、管理员和接待方。
staff-username = 用户名
staff-password = 密码
staff-submit = 登录
staff-failed = 用户名或密码不正确，或账户已停用。
staff-nav-label = 后台
staff-nav-queues = 工作队列
staff-nav-dashboard = 仪表板
staff-nav-admin = 管理
staff-home-title = 欢迎，{ $name }
staff-home-lead = 您的登录角色是 { $role }。
staff-home-next = 案件队列和工作人员页面正在建设中；在此之前请使用 /api/openapi.json 中描述的 API。

not-found-title = 未找到页面
not-found-text = 如果地址是您手动输入的，请检查是否正确。如果您是通过链接访问的，请前往首页。
not-found-home = 前往首页

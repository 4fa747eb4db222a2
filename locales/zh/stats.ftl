# 工作人员仪表板和公开统计（web/stats.rs、templates/stats/）。
footer-statistics = 统计数据
stats-dashboard-title = 仪表板
stats-dashboard-lead = 积压的申请、与政策目标相比的办理时间、迟报的抵达通知以及即将到期的登记卡。仅显示汇总数据：此处看不到任何案件或个人。
stats-public-title = 统计数据
stats-public-lead = 外国人登记的公开数据：等待决定的申请数量、办理所需时间、迟报的抵达通知以及即将到期的登记卡。只公布总数，不公布任何个人信息。
stats-generated = 数据截至 { $time }（阿拉木图时间）。
stats-contents = 本页内容
stats-table-caption = { $chart }：图表中的数字
stats-csv = 下载 CSV：{ $chart }
stats-public-link = 公开统计页面
stats-list-separator = {"；"}
stats-desc-item = { $label }：{ $value }

stats-backlog-by-state-title = 按状态统计的办理中申请
stats-backlog-by-state-column = 办理中的申请
stats-backlog-by-type-title = 按登记卡类型统计的办理中申请
stats-backlog-by-type-column = 办理中的申请
stats-expiring-cards-title = 未来 30 天内到期的登记卡
stats-expiring-cards-column = 即将到期的登记卡
stats-expiring-cards-note = 最后有效日在 { $from } 至 { $until } 之间的已签发登记卡。

stats-processing-times-title = 按登记卡类型统计的办理时间（天）
stats-processing-times-note = 过去 { $days } 天内批准或拒绝的申请，从提交到决定按日历天计算。目标取自政策，按工作日计算。
stats-processing-desc-item = { $label }：一半在 { $p50 } 天内决定，90% 在 { $p90 } 天内决定；目标 { $target } 个工作日；{ $decided } 件中有 { $on_time } 件按时决定
stats-processing-desc-none = { $label }：尚无决定
stats-bar-p50 = 中位数 { $days }
stats-bar-p90 = 90%：{ $days }
stats-bar-none = 尚无决定

stats-late-arrivals-title = 按月统计的迟报抵达通知
stats-late-arrivals-note = 累计：抵达通知 { $arrivals } 份，其中迟报 { $late } 份（{ $share }%）。
stats-late-desc-item = { $label }：{ $arrivals } 份中迟报 { $late } 份
stats-bar-late = { $share }%（{ $arrivals } 份中 { $late } 份）

stats-col-state = 状态
stats-col-type = 登记卡类型
stats-col-decided = 已决定
stats-col-p50 = 中位数（天）
stats-col-p90 = 第 90 百分位（天）
stats-col-target = 目标（工作日）
stats-col-on-time = 按时决定
stats-col-month = 月份
stats-col-arrivals = 通知数
stats-col-late = 迟报
stats-col-late-share = 迟报比例（%）
